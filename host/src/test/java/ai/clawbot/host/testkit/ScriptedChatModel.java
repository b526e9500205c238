package ai.clawbot.host.testkit;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * A scripted langchain4j {@link StreamingChatModel} for tests: each call plays the next step (streamed text, tool
 * calls, a failure, or a step computed from the request) and records the request it got. Running out of steps
 * answers "done".
 */
public final class ScriptedChatModel implements StreamingChatModel {

    /** One scripted answer. */
    public sealed interface Step permits Text, Tools, Fail, Computed, Slow {
    }

    public record Text(String text) implements Step {
    }

    public record Tools(List<Call> calls) implements Step {
    }

    public record Call(String name, String argumentsJson) {
    }

    public record Fail(RuntimeException error) implements Step {
    }

    public record Computed(Function<ChatRequest, Step> f) implements Step {
    }

    /** Streams {@code pieces} deltas of {@code text}, {@code delayMs} apart (for abort tests). */
    public record Slow(String text, int pieces, long delayMs) implements Step {
    }

    private final Queue<Step> steps = new ConcurrentLinkedQueue<>();
    private final List<ChatRequest> requests = Collections.synchronizedList(new ArrayList<>());

    public static ScriptedChatModel of(Step... steps) {
        ScriptedChatModel m = new ScriptedChatModel();
        m.steps.addAll(List.of(steps));
        return m;
    }

    public static Step text(String t) {
        return new Text(t);
    }

    public static Step call(String name, String args) {
        return new Tools(List.of(new Call(name, args)));
    }

    public ScriptedChatModel then(Step s) {
        steps.add(s);
        return this;
    }

    public List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
        requests.add(request);
        Step step = steps.poll();
        play(step == null ? new Text("done") : step, request, handler);
    }

    private void play(Step step, ChatRequest request, StreamingChatResponseHandler handler) {
        switch (step) {
            case Text t -> {
                for (String piece : t.text().split("(?<= )")) {
                    handler.onPartialResponse(piece);
                }
                handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(t.text())).build());
            }
            case Tools t -> {
                List<ToolExecutionRequest> reqs = new ArrayList<>();
                int i = 0;
                for (Call c : t.calls()) {
                    reqs.add(ToolExecutionRequest.builder().id("call-" + System.nanoTime() + "-" + i++).name(c.name())
                            .arguments(c.argumentsJson()).build());
                }
                handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(reqs)).build());
            }
            case Fail f -> handler.onError(f.error());
            case Computed c -> play(c.f().apply(request), request, handler);
            case Slow s -> Thread.ofVirtual().start(() -> {
                StringBuilder all = new StringBuilder();
                try {
                    for (int i = 0; i < s.pieces(); i++) {
                        Thread.sleep(s.delayMs());
                        String piece = s.text() + " ";
                        all.append(piece);
                        handler.onPartialResponse(piece);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(all.toString())).build());
            });
        }
    }
}
