package ai.clawbot.host.models;

import dev.langchain4j.exception.NonRetriableException;

/**
 * Gemini refused to answer: a candidate ended with {@code finishReason: SAFETY} (or another content filter), or the
 * prompt itself was blocked ({@code promptFeedback.blockReason}, no candidates at all). Not retryable: the same
 * prompt is blocked again, so the provider is not cooled down.
 */
public final class GeminiBlockedException extends NonRetriableException {

    public GeminiBlockedException(String message) {
        super(message);
    }
}
