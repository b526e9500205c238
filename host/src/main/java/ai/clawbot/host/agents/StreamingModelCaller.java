package ai.clawbot.host.agents;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One langchain4j {@link StreamingChatModel} as a {@link ModelCaller}: waits for the complete response, forwarding
 * partial text, and stops waiting promptly when the run is aborted (returning the text received so far).
 */
public final class StreamingModelCaller implements ModelCaller {

    private final StreamingChatModel model;
    private final String name;

    public StreamingModelCaller(StreamingChatModel model, String name) {
        this.model = model;
        this.name = name;
    }

    @Override
    public ChatResponse chat(ChatRequest request, Consumer<String> onPartialText, BooleanSupplier aborted)
            throws ModelCallException {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StringBuilder partial = new StringBuilder();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                if (!done.isDone() && !aborted.getAsBoolean()) {
                    synchronized (partial) {
                        partial.append(text);
                    }
                    onPartialText.accept(text);
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        while (true) {
            try {
                return done.get(50, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (aborted.getAsBoolean()) {
                    synchronized (partial) {
                        return ChatResponse.builder().aiMessage(AiMessage.from(partial.isEmpty() ? " " : partial.toString())).build();
                    }
                }
            } catch (ExecutionException e) {
                throw new ModelCallException(name + ": " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelCallException(name + ": interrupted", e);
            }
        }
    }
}
