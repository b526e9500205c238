package ai.clawbot.host.gateway;

import ai.clawbot.host.sandbox.ToolOutcome;
import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.host.skills.RefusedPlugin;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.host.skills.SkillRouter;
import ai.clawbot.host.skills.SkillRouter.Routed;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Supplier;

/** {@code skills.list} and {@code tools.invoke}. */
final class SkillMethods {

    private final Supplier<SkillCatalog> catalog;
    private final SkillRouter router;

    SkillMethods(Supplier<SkillCatalog> catalog, SkillRouter router) {
        this.catalog = catalog;
        this.router = router;
    }

    List<MethodSpec> methods() {
        return List.of(MethodSpec.read("skills.list", p -> list()), MethodSpec.write("tools.invoke", this::invoke));
    }

    private ObjectNode list() {
        ObjectNode out = Frames.JSON.createObjectNode();
        ArrayNode skills = out.putArray("skills");
        SkillCatalog current = catalog.get();
        for (LoadedSkill s : current.skills()) {
            skills.add(SkillJson.describe(s));
        }
        ArrayNode refused = out.putArray("refused");
        for (RefusedPlugin r : current.refused()) {
            refused.addObject().put("file", r.file()).put("reason", r.reason()).put("message", r.message());
        }
        return out;
    }

    private ObjectNode invoke(JsonNode params) throws GatewayException {
        String skill = text(params, "skill");
        String tool = text(params, "tool");
        JsonNode args = params.path("args");
        if (args.isMissingNode() || args.isNull()) {
            args = Frames.JSON.createObjectNode();
        } else if (!args.isObject()) {
            throw new GatewayException(ErrorShape.of("INVALID_REQUEST", "tools.invoke 'args' must be an object",
                    GatewaySocket.details("INVALID_ARGS")));
        }
        String agent = params.path("agentId").asText("default");
        String scope = params.path("sessionKey").asText("main");
        if (!agent.matches("[a-z][a-z0-9_-]{0,63}") || scope.length() > 200) {
            throw new GatewayException(ErrorShape.of("INVALID_REQUEST", "bad agentId or sessionKey",
                    GatewaySocket.details("INVALID_PARAMS")));
        }
        Routed routed = router.invoke(agent, scope, skill, tool, args);
        return switch (routed) {
            case Routed.UnknownSkill u -> throw new GatewayException(ErrorShape.of("NOT_FOUND",
                    "unknown skill '" + u.skill() + "' (loaded: " + String.join(", ", u.known()) + ")",
                    GatewaySocket.details("UNKNOWN_SKILL").put("skill", u.skill())));
            case Routed.UnknownTool u -> throw new GatewayException(ErrorShape.of("NOT_FOUND",
                    "skill '" + u.skill() + "' has no tool '" + u.tool() + "' (tools: " + String.join(", ", u.known()) + ")",
                    GatewaySocket.details("UNKNOWN_TOOL").put("skill", u.skill()).put("tool", u.tool())));
            case Routed.InvalidArgs bad -> {
                ObjectNode d = GatewaySocket.details("INVALID_ARGS");
                ArrayNode v = d.putArray("violations");
                bad.violations().forEach(x -> v.addObject().put("path", x.path()).put("reason", x.reason()));
                throw new GatewayException(ErrorShape.of("INVALID_REQUEST", "arguments do not match the input schema of "
                        + bad.skill() + "." + bad.tool() + ": " + bad.violations().get(0), d));
            }
            case Routed.Ran ran -> outcome(skill, tool, ran.outcome());
        };
    }

    private static ObjectNode outcome(String skill, String tool, ToolOutcome outcome) throws GatewayException {
        return switch (outcome) {
            case ToolOutcome.Ok ok -> {
                ObjectNode o = Frames.JSON.createObjectNode().put("skill", skill).put("tool", tool)
                        .put("isError", ok.isError()).put("text", ok.text());
                o.set("structured", ok.structured());
                o.putObject("sandbox").put("containerId", ok.run().containerId()).put("image", ok.run().image())
                        .put("durationMs", ok.run().durationMs());
                yield o;
            }
            case ToolOutcome.Failed f -> throw new GatewayException(ErrorShape.of("UNAVAILABLE",
                    skill + "." + tool + " failed: " + f.message(), withContainer(GatewaySocket.details(f.code()), f.run())));
            case ToolOutcome.TimedOut t -> throw new GatewayException(ErrorShape.of("UNAVAILABLE",
                    skill + "." + tool + " ran past its " + t.deadline().toMillis() + " ms deadline; its container was killed",
                    withContainer(GatewaySocket.details("TOOL_TIMEOUT"), t.run())).retryable(0));
        };
    }

    private static ObjectNode withContainer(ObjectNode details, ToolOutcome.SandboxRun run) {
        if (run != null && run.containerId() != null) {
            details.put("containerId", run.containerId());
        }
        return details;
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
