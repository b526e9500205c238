package ai.clawbot.host.gateway;

import ai.clawbot.host.agents.AgentDefinition;
import ai.clawbot.host.agents.AgentRegistry;
import ai.clawbot.host.agents.SessionKeys;
import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.host.skills.RefusedPlugin;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.host.tools.ToolGate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code skills.list} and {@code tools.invoke}. A {@code tools.invoke} call goes through the same {@link ToolGate} as
 * an agent's run, for the agent and session it names: the same policy chain, workspace, approvals and narrowing. While
 * it waits for an operator only its own (virtual) thread waits; the connection's other requests and ticks go on, and
 * a connection that closes withdraws its approval request.
 */
public final class SkillMethods {

    private final Supplier<SkillCatalog> catalog;
    private final ToolGate gate;
    private final Supplier<AgentRegistry> agents;

    public SkillMethods(Supplier<SkillCatalog> catalog, ToolGate gate, Supplier<AgentRegistry> agents) {
        this.catalog = catalog;
        this.gate = gate;
        this.agents = agents;
    }

    public List<MethodSpec> methods() {
        return List.of(MethodSpec.read("skills.list", p -> list()),
                new MethodSpec("tools.invoke", Scopes.WRITE, true, this::invoke));
    }

    private ObjectNode list() {
        ObjectNode out = Frames.JSON.createObjectNode();
        ArrayNode skills = out.putArray("skills");
        SkillCatalog current = catalog.get();
        for (LoadedSkill s : current.skills()) {
            ObjectNode described = SkillJson.describe(s);
            List<String> aliases = ai.clawbot.host.skills.SkillAliases.of(s.id());
            if (!aliases.isEmpty()) {
                aliases.forEach(described.putArray("aliases")::add);
            }
            skills.add(described);
        }
        ArrayNode refused = out.putArray("refused");
        for (RefusedPlugin r : current.refused()) {
            refused.addObject().put("file", r.file()).put("reason", r.reason()).put("message", r.message());
        }
        return out;
    }

    private ObjectNode invoke(MethodCall call) throws GatewayException {
        JsonNode params = call.params();
        String skill = ai.clawbot.host.skills.SkillAliases.canonical(text(params, "skill"));
        String tool = text(params, "tool");
        JsonNode args = params.path("args");
        if (args.isMissingNode() || args.isNull()) {
            args = Frames.JSON.createObjectNode();
        } else if (!args.isObject()) {
            throw new GatewayException(ErrorShape.of("INVALID_REQUEST", "tools.invoke 'args' must be an object",
                    GatewaySocket.details("INVALID_ARGS")));
        }
        String agentId = Params.optionalText(params, "agentId", "tools.invoke");
        String rawKey = Params.optionalText(params, "sessionKey", "tools.invoke");
        if ((agentId != null && !agentId.matches("[a-z][a-z0-9_-]{0,63}"))
                || (rawKey != null && rawKey.length() > SessionKeys.MAX_LENGTH)) {
            throw new GatewayException(ErrorShape.of("INVALID_REQUEST", "bad agentId or sessionKey",
                    GatewaySocket.details("INVALID_PARAMS")));
        }
        AgentDefinition agent;
        SessionKeys.Resolved key;
        AgentRegistry registry = agents.get();
        try {
            // As a chat run resolves it: agent:<id>:<name> names the agent; a bare key belongs to agentId (or the default).
            key = SessionKeys.resolve(rawKey == null ? "main" : rawKey, agentId != null ? agentId : registry.defaultAgent().id());
        } catch (IllegalArgumentException e) {
            throw Params.invalid(e.getMessage(), "sessionKey");
        }
        if (agentId != null && !agentId.equals(key.agentId())) {
            throw Params.invalid("sessionKey '" + key.sessionKey() + "' belongs to agent '" + key.agentId()
                    + "', not to agentId '" + agentId + "'", "sessionKey");
        }
        agent = registry.find(key.agentId()).orElseThrow(() -> new GatewayException(ErrorShape.of("NOT_FOUND",
                "no agent '" + key.agentId() + "' (agents: " + String.join(", ", registry.all().stream()
                        .map(AgentDefinition::id).toList()) + ")",
                GatewaySocket.details("UNKNOWN_AGENT").put("agentId", key.agentId()))));
        try {
            return GateReplies.reply(gate.call(new ToolGate.Request(agent, key.sessionKey(), ToolGate.TOOLS_INVOKE,
                    skill, tool, args), () -> !call.client().isOpen()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(ErrorShape.of("UNAVAILABLE", "the gateway is shutting down",
                    GatewaySocket.details("SHUTTING_DOWN")));
        }
    }

    private static String text(JsonNode params, String field) throws GatewayException {
        JsonNode n = params.get(field);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new GatewayException(ErrorShape.of("INVALID_REQUEST", "tools.invoke needs a string '" + field + "'",
                    GatewaySocket.details("INVALID_PARAMS").put("field", field)));
        }
        return n.asText();
    }
}
