package ai.clawbot.host.models;

import java.util.List;
import java.util.stream.Collectors;

/**
 * No candidate model produced a reply. The message lists every candidate and why, in order
 * ({@code All models failed: openai/gpt-4o: HTTP 503; anthropic/claude-x: timeout}); API keys are redacted.
 */
public final class ModelException extends Exception {

    /** What happened to one candidate. */
    public enum Kind {
        /** Failed in a way that may pass (5xx, 429, timeout, connection): its provider was put in cooldown. */
        RETRYABLE,
        /** Failed in a way that retrying will not fix (400, 401, 404, bad settings): no cooldown. */
        REJECTED,
        /** Not called: provider cooling down, unknown, or without an adapter. */
        SKIPPED
    }

    public record Attempt(ModelRef ref, Kind kind, String reason) {
        @Override
        public String toString() {
            return ref + ": " + reason;
        }
    }

    private final List<Attempt> attempts;
    private final String partialText;

    ModelException(String message, List<Attempt> attempts, String partialText) {
        super(message);
        this.attempts = List.copyOf(attempts);
        this.partialText = partialText == null ? "" : partialText;
    }

    static ModelException allFailed(List<Attempt> attempts) {
        return new ModelException("All models failed: " + list(attempts), attempts, "");
    }

    /** A stream broke after text had been streamed to the caller: falling back would repeat or contradict it. */
    static ModelException midStream(List<Attempt> attempts, String partialText) {
        Attempt last = attempts.get(attempts.size() - 1);
        return new ModelException("Model " + last.ref() + " failed mid-reply (" + last.reason()
                + "); no fallback after text was streamed", attempts, partialText);
    }

    static ModelException noCandidates() {
        return new ModelException("No model to call: no provider/model is configured", List.of(), "");
    }

    /** Every candidate in order, with what happened to it. */
    public List<Attempt> attempts() {
        return attempts;
    }

    /** Text already streamed to the caller before the failure ("" if none). */
    public String partialText() {
        return partialText;
    }

    private static String list(List<Attempt> attempts) {
        return attempts.stream().map(Attempt::toString).collect(Collectors.joining("; "));
    }
}
