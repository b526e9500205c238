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

    /** Every candidate model failed; the message says which and why. */
    final class ModelCallException extends Exception {
        public ModelCallException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
