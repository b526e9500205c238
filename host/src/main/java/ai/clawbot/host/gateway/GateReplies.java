package ai.clawbot.host.gateway;

import ai.clawbot.host.sandbox.ToolOutcome;
import ai.clawbot.host.tools.GateOutcome;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one place a {@link GateOutcome} becomes a protocol reply: the tool's result for a dispatched call, else a typed
 * error ({@code FORBIDDEN} with {@code POLICY_DENIED}, {@code APPROVAL_DENIED} or {@code APPROVAL_TIMEOUT};
 * {@code NOT_FOUND} for an unknown skill or tool; {@code INVALID_REQUEST} for arguments off the schema).
 */
final class GateReplies {

    private GateReplies() {
    }

    static ObjectNode reply(GateOutcome outcome) throws GatewayException {
        String q = outcome.qualified();
        return switch (outcome) {
            case GateOutcome.Ran ran -> ran(ran);
            case GateOutcome.Refused r -> throw error("FORBIDDEN", "policy refused " + q + ": " + r.reason(),
                    named("POLICY_DENIED", r.skill(), r.tool()).put("layer", r.layer()).put("rule", r.rule()));
            case GateOutcome.Denied d -> throw error("FORBIDDEN", "approval of " + q + " was denied by " + d.by()
                    + (d.reason().isBlank() ? "" : ": " + d.reason()),
                    named("APPROVAL_DENIED", d.skill(), d.tool()).put("by", d.by()));
            case GateOutcome.ApprovalTimedOut t -> throw error("FORBIDDEN", "no operator approved " + q + " within "
                    + t.after().toMillis() + " ms, so it was denied",
                    named("APPROVAL_TIMEOUT", t.skill(), t.tool()).put("afterMs", t.after().toMillis()));
            case GateOutcome.Aborted a -> throw error("UNAVAILABLE", q + " was abandoned while it waited for approval",
                    named("ABORTED", a.skill(), a.tool()));
            case GateOutcome.UnknownSkill u -> throw error("NOT_FOUND",
                    "unknown skill '" + u.skill() + "' (loaded: " + String.join(", ", u.known()) + ")",
                    GatewaySocket.details("UNKNOWN_SKILL").put("skill", u.skill()));
            case GateOutcome.UnknownTool u -> throw error("NOT_FOUND",
                    "skill '" + u.skill() + "' has no tool '" + u.tool() + "' (tools: " + String.join(", ", u.known()) + ")",
                    named("UNKNOWN_TOOL", u.skill(), u.tool()));
            case GateOutcome.InvalidArgs bad -> {
                ObjectNode d = GatewaySocket.details("INVALID_ARGS");
                ArrayNode v = d.putArray("violations");
                bad.violations().forEach(x -> v.addObject().put("path", x.path()).put("reason", x.reason()));
                throw error("INVALID_REQUEST", "arguments do not match the input schema of " + q + ": "
                        + bad.violations().get(0), d);
            }
            case GateOutcome.SkillChanged c -> throw new GatewayException(ErrorShape.of("UNAVAILABLE", "skill '"
                    + c.skill() + "' changed while the call was being checked; retry it",
                    named("SKILL_CHANGED", c.skill(), c.tool())).retryable(0));
        };
    }

    private static ObjectNode ran(GateOutcome.Ran ran) throws GatewayException {
        String q = ran.qualified();
        return switch (ran.outcome()) {
            case ToolOutcome.Ok ok -> {
                ObjectNode o = Frames.JSON.createObjectNode().put("skill", ran.skill()).put("tool", ran.tool())
                        .put("isError", ok.isError()).put("text", ok.text());
                o.set("structured", ok.structured());
                o.putObject("sandbox").put("containerId", ok.run().containerId()).put("image", ok.run().image())
                        .put("durationMs", ok.run().durationMs()).put("permissions", ran.granted().summary());
                yield o;
            }
            case ToolOutcome.Failed f -> throw error("UNAVAILABLE", q + " failed: " + f.message(),
                    withContainer(GatewaySocket.details(f.code()), f.run()));
            case ToolOutcome.TimedOut t -> throw new GatewayException(ErrorShape.of("UNAVAILABLE",
                    q + " ran past its " + t.deadline().toMillis() + " ms deadline; its container was killed",
                    withContainer(GatewaySocket.details("TOOL_TIMEOUT"), t.run())).retryable(0));
        };
    }

    private static ObjectNode named(String code, String skill, String tool) {
        return GatewaySocket.details(code).put("skill", skill).put("tool", tool);
    }

    private static GatewayException error(String code, String message, ObjectNode details) {
        return new GatewayException(ErrorShape.of(code, message, details));
    }

    private static ObjectNode withContainer(ObjectNode details, ToolOutcome.SandboxRun run) {
        if (run != null && run.containerId() != null) {
            details.put("containerId", run.containerId());
        }
        return details;
    }
}
