package ai.clawbot.testkit.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** How one sandboxed call ended, as a {@link SandboxRunner} reports it. */
public sealed interface CallOutcome {

    /** The tool server answered; {@code isError} is the tool's own verdict (a refusal is an answer). */
    record Answered(String text, JsonNode structured, boolean isError, String sandboxId) implements CallOutcome {
    }

    /** The call ran past the manifest's timeout. */
    record TimedOut(Duration deadline, String sandboxId) implements CallOutcome {
    }

    /** No answer: refused before any sandbox ran (e.g. {@code INVALID_ARGS}) or the sandbox failed. */
    record Failed(String code, String message) implements CallOutcome {
    }
}
