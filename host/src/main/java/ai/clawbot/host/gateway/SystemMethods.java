package ai.clawbot.host.gateway;

import ai.clawbot.host.agents.AgentDefinition;
import ai.clawbot.host.agents.AgentRegistry;
import ai.clawbot.host.agents.ChatRuns;
import ai.clawbot.host.agents.SessionKeys;
import ai.clawbot.host.observe.LogLine;
import ai.clawbot.host.observe.LogRing;
import ai.clawbot.host.observe.LogTail;
import ai.clawbot.host.skills.SkillCatalog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** {@code health}, {@code status}, {@code agents.list} and {@code logs.tail}. */
public final class SystemMethods {

    private final Supplier<SkillCatalog> catalog;
    private final Supplier<AgentRegistry> agents;
    private final ChatRuns runs;
    private final EventHub hub;
    private final LogRing logs;
    private final Supplier<ObjectNode> configStatus;

    public SystemMethods(Supplier<SkillCatalog> catalog, Supplier<AgentRegistry> agents, ChatRuns runs, EventHub hub,
                  LogRing logs, Supplier<ObjectNode> configStatus) {
        this.catalog = catalog;
        this.agents = agents;
        this.runs = runs;
        this.hub = hub;
        this.logs = logs;
        this.configStatus = configStatus;
    }

    public List<MethodSpec> methods() {
        return List.of(
                MethodSpec.read("health", p -> health()),
                MethodSpec.read("status", p -> status()),
                MethodSpec.read("agents.list", p -> agentsList()),
                // Logs show other sessions' tool arguments and paths: admins only.
                new MethodSpec("logs.tail", Scopes.ADMIN, false, c -> tail(c.params())));
    }

    private ObjectNode health() {
        SkillCatalog c = catalog.get();
        return Frames.JSON.createObjectNode().put("ok", true).put("status", "live").put("uptimeMs", Gateway.uptimeMs())
                .put("skills", c.skills().size()).put("refusedPlugins", c.refused().size());
    }

    private ObjectNode status() {
        SkillCatalog c = catalog.get();
        ObjectNode o = Frames.JSON.createObjectNode().put("version", Gateway.VERSION).put("protocol", Handshake.PROTOCOL)
                .put("uptimeMs", Gateway.uptimeMs()).put("connections", hub.size()).put("activeRuns", runs.activeRuns());
        o.put("defaultAgentId", agents.get().defaultAgent().id()).put("agents", agents.get().all().size());
        o.put("skills", c.skills().size()).put("disabledPlugins", c.disabled().size()).put("refusedPlugins", c.refused().size());
        o.set("config", configStatus.get());
        return o;
    }

    private ObjectNode agentsList() {
        AgentRegistry r = agents.get();
        ObjectNode out = Frames.JSON.createObjectNode().put("defaultId", r.defaultAgent().id()).put("mainKey", "main");
        ArrayNode list = out.putArray("agents");
        for (AgentDefinition a : r.all()) {
            ObjectNode n = list.addObject().put("id", a.id()).put("name", a.name()).put("type", a.type().id())
                    .put("default", a.isDefault()).put("mainSessionKey", SessionKeys.main(a.id()));
            if (a.model() != null) {
                n.put("model", a.model());
            }
            a.skills().forEach(n.putArray("skills")::add);
            ObjectNode tools = n.putObject("tools");
            a.toolsAllow().forEach(tools.putArray("allow")::add);
            a.toolsDeny().forEach(tools.putArray("deny")::add);
            // The agent's policy ceiling and pre-approvals as configured (built-ins carry their defaults).
            JsonNode cfg = a.config();
            n.set("permissions", cfg.path("permissions").isObject() ? cfg.get("permissions") : Frames.JSON.createObjectNode());
            if (cfg.path("approvals").isObject()) {
                n.set("approvals", cfg.get("approvals"));
            }
        }
        return out;
    }

    private ObjectNode tail(JsonNode p) throws GatewayException {
        JsonNode cursorNode = p.get("cursor");
        Long cursor = null;
        if (cursorNode != null && !cursorNode.isNull()) {
            if (!cursorNode.canConvertToLong() || !cursorNode.isIntegralNumber() || cursorNode.asLong() < 0) {
                throw Params.invalid("logs.tail 'cursor' must be a non-negative integer", "cursor");
            }
            cursor = cursorNode.asLong();
        }
        int limit = Params.optionalInt(p, "limit", 200, 1, LogRing.MAX_TAIL_LIMIT, "logs.tail");
        int maxBytes = Params.optionalInt(p, "maxBytes", 256 * 1024, 1, LogRing.MAX_TAIL_BYTES, "logs.tail");
        String filter = Params.optionalText(p, "filter", "logs.tail");
        String minLevel = Params.optionalText(p, "level", "logs.tail");
        Predicate<LogLine> pass = line -> true;
        if (filter != null && !filter.isEmpty()) {
            String needle = filter.toLowerCase(Locale.ROOT);
            pass = line -> line.message().toLowerCase(Locale.ROOT).contains(needle)
                    || line.logger().toLowerCase(Locale.ROOT).contains(needle);
        }
        if (minLevel != null) {
            int min = levelValue(minLevel);
            pass = pass.and(line -> levelValue(line.level()) >= min);
        }
        LogTail t = logs.tail(cursor, limit, maxBytes, pass);
        ObjectNode out = Frames.JSON.createObjectNode().put("cursor", t.cursor()).put("truncated", t.truncated())
                .put("reset", t.reset());
        ArrayNode lines = out.putArray("lines");
        for (LogLine l : t.lines()) {
            lines.addObject().put("cursor", l.cursor()).put("ts", l.ts()).put("level", l.level())
                    .put("logger", l.logger()).put("message", l.message());
        }
        return out;
    }

    private static int levelValue(String level) {
        try {
            return java.util.logging.Level.parse(level.toUpperCase(Locale.ROOT)).intValue();
        } catch (IllegalArgumentException e) {
            return switch (level.toLowerCase(Locale.ROOT)) {
                case "debug" -> 500;
                case "error" -> 1000;
                case "warn" -> 900;
                default -> 800;
            };
        }
    }
}
