package ai.clawbot.host.agents;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.BooleanSupplier;

/**
 * Runs one tool call a model asked for, through policy, approvals and the sandbox. Never throws for a refused or
 * failed call: the model gets a result it can read and act on.
 */
@FunctionalInterface
public interface ToolInvoker {

    ToolResult invoke(ToolCall call, CallContext ctx) throws InterruptedException;

    /**
     * Refuses a call to a tool the agent was not offered (never runs it), saying why and leaving an audit trail
     * where the implementation keeps one.
     */
    default ToolResult refuseUnoffered(ToolCall call, CallContext ctx) {
        return ToolResult.refused("there is no tool '" + call.skill() + OfferedTools.SEPARATOR + call.tool()
                + "' for this agent; the tools offered are the only ones it may call");
    }

    /** What the model asked for, resolved to a skill and tool. */
    record ToolCall(String id, String skill, String tool, JsonNode args) {
        public String qualified() {
            return skill + "." + tool;
        }
    }

    /** Who is calling. */
    record CallContext(AgentDefinition agent, String sessionKey, String runId, BooleanSupplier aborted) {
    }

    /**
     * @param status ok, error, refused (policy), denied (operator), timeout (approval or tool), aborted
     */
    record ToolResult(String status, String text, boolean isError, long durationMs) {
        public static ToolResult refused(String why) {
            return new ToolResult("refused", why, true, 0);
        }
    }

    ToolInvoker NONE = (call, ctx) -> ToolResult.refused("no tools are available to this agent");
}
