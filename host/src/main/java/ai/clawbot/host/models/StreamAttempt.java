package ai.clawbot.host.models;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One streamed call to one model, made synchronous. The client's callbacks only enqueue; the caller's thread
 * drains the queue, so partial text reaches {@code onPartialText} on the caller's thread and in order, and the
 * caller can watch for abort and for silence while it waits.
 */
final class StreamAttempt implements StreamingChatResponseHandler {

    /** How often the waiting thread looks at the abort flag. */
    private static final long POLL_MILLIS = 20;

    sealed interface Outcome {
        record Completed(ChatResponse response) implements Outcome {
        }

        record Aborted(ChatResponse partial) implements Outcome {
        }

        /** {@code emittedText} is what {@code onPartialText} already received (so no fallback is possible). */
        record Failed(Throwable cause, String emittedText) implements Outcome {
        }
    }

    /** Raised by the router itself when the stream is silent for longer than the timeout. */
    static final class SilenceTimeout extends RuntimeException {
        SilenceTimeout(Duration timeout) {
            super("no response within " + timeout.toMillis() + " ms");
        }
    }

    private sealed interface Event {
        record Text(String text) implements Event {
        }

        record Activity() implements Event {
        }

        record Done(ChatResponse response) implements Event {
        }

        record Error(Throwable error) implements Event {
        }
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile StreamingHandle handle;
    private volatile boolean abandoned;

    private StreamAttempt() {
    }

    static Outcome run(StreamingChatModel model, ChatRequest request, Consumer<String> onPartialText,
                       BooleanSupplier aborted, Duration timeout) {
        return new StreamAttempt().execute(model, request, onPartialText, aborted, timeout);
    }

    private Outcome execute(StreamingChatModel model, ChatRequest request, Consumer<String> onPartialText,
                            BooleanSupplier aborted, Duration timeout) {
        StringBuilder emitted = new StringBuilder();
        try {
            model.chat(request, this);
        } catch (RuntimeException e) {
            return new Outcome.Failed(e, "");
        }
        long timeoutNanos = timeout.toNanos();
        long lastActivity = System.nanoTime();
        try {
            while (true) {
                if (aborted.getAsBoolean()) {
                    abandon();
                    return new Outcome.Aborted(partial(emitted));
                }
                Event event = events.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (event == null) {
                    if (System.nanoTime() - lastActivity > timeoutNanos) {
                        abandon();
                        return new Outcome.Failed(new SilenceTimeout(timeout), emitted.toString());
                    }
                    continue;
                }
                lastActivity = System.nanoTime();
                switch (event) {
                    case Event.Text t -> {
                        emitted.append(t.text());
                        onPartialText.accept(t.text());
                    }
                    case Event.Activity a -> {
                    }
                    case Event.Done d -> {
                        return new Outcome.Completed(d.response());
                    }
                    case Event.Error e -> {
                        abandon();
                        return new Outcome.Failed(e.error(), emitted.toString());
                    }
                }
            }
        } catch (InterruptedException e) {
            // An interrupted caller is treated as an abort; the flag is kept for the caller to see.
            Thread.currentThread().interrupt();
            abandon();
            return new Outcome.Aborted(partial(emitted));
        }
    }

    /** Stops the stream if the client gave us a handle; late callbacks are dropped either way. */
    private void abandon() {
        abandoned = true;
        StreamingHandle h = handle;
        if (h != null) {
            try {
                h.cancel();
            } catch (RuntimeException ignored) {
                // Best effort: the stream is ignored from now on anyway.
            }
        }
    }

    private static ChatResponse partial(CharSequence text) {
        return ChatResponse.builder().aiMessage(AiMessage.from(text.toString())).build();
    }

    private void offer(Event event) {
        if (!abandoned) {
            events.add(event);
        }
    }

    private void remember(StreamingHandle h) {
        if (h != null && handle == null) {
            handle = h;
            if (abandoned) {
                h.cancel();
            }
        }
    }

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
        remember(context == null ? null : context.streamingHandle());
        onPartialResponse(partialResponse.text());
    }

    @Override
    public void onPartialResponse(String partialResponse) {
        if (partialResponse != null && !partialResponse.isEmpty()) {
            offer(new Event.Text(partialResponse));
        }
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
        remember(context == null ? null : context.streamingHandle());
        offer(new Event.Activity());
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
        remember(context == null ? null : context.streamingHandle());
        offer(new Event.Activity());
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall completeToolCall) {
        offer(new Event.Activity());
    }

    @Override
    public void onUnmappedRawEvent(Object rawEvent) {
        offer(new Event.Activity());
    }

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
        offer(new Event.Done(completeResponse));
    }

    @Override
    public void onError(Throwable error) {
        offer(new Event.Error(error));
    }
}
