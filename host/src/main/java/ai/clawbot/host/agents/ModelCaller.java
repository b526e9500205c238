package ai.clawbot.host.agents;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One model call for an agent: the router over configured providers (with fallbacks), the offline model, or a
 * scripted model in tests. Streams text through {@code onPartialText}; returns the complete response.
 */
@FunctionalInterface
public interface ModelCaller {

    ChatResponse chat(ChatRequest request, Consumer<String> onPartialText, BooleanSupplier aborted) throws ModelCallException;

    /**
     * The context window of the model that will be called first, in tokens, when the config says it (OpenClaw's
     * {@code contextWindow}): the run sizes the history it sends by it. Empty: the loop's default budget.
     */
    default java.util.OptionalInt contextWindowTokens() {
        return java.util.OptionalInt.empty();
    }

    /** Every candidate model failed; the message says which and why. */
    final class ModelCallException extends Exception {
        public ModelCallException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
