package ai.clawbot.host.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** How a sandboxed tool call ended. */
public sealed interface ToolOutcome {

    /**
     * The tool server answered. {@code isError} is the tool's own verdict (e.g. "note exists"), which is a
     * result for the caller to read, not a sandbox failure.
     */
    record Ok(String text, JsonNode structured, boolean isError, SandboxRun run) implements ToolOutcome {
    }

    /** The sandbox could not produce an answer: image missing, engine down, output over its limit, server crashed. */
    record Failed(String code, String message, SandboxRun run) implements ToolOutcome {
    }

    /** The call ran past its deadline; its container was killed. */
    record TimedOut(Duration deadline, SandboxRun run) implements ToolOutcome {
    }

    /** Where the call ran: container id ({@code null} if none started), image, and how long it took. */
    record SandboxRun(String containerId, String image, long durationMs) {
    }
}
