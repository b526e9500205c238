package ai.clawbot.testkit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scripted agent model the end-to-end tests and the agent benchmark talk to, as an OpenAI-compatible
 * streaming {@link LocalModelServer.Responder}. What it answers depends on the request only:
 * <ul>
 * <li>a {@code tool} message present: "Found: " and the first note path ({@code x.md (n)}) in the last tool result,
 *     or "nothing";</li>
 * <li>else, when the last user message contains the trigger (every message if none is set): a call of the tool
 *     function with its arguments, streamed in two pieces (clients must assemble them), finish_reason tool_calls;</li>
 * <li>else a short text in three pieces: {@value #TEXT}.</li>
 * </ul>
 */
public final class ToolCallingModel implements LocalModelServer.Responder {

    public static final String TEXT = "Hello from the test model.";
    private static final String MODEL = "test-model";
    private static final Pattern NOTE = Pattern.compile("^(.+?\\.md) \\(\\d+\\)", Pattern.MULTILINE);

    private final String callId;
    private final String function;
    private final String argumentsJson;
    private final String trigger;
    private final CountDownLatch holdAnswer;

    private ToolCallingModel(String callId, String function, String argumentsJson, String trigger, CountDownLatch holdAnswer) {
        this.callId = callId;
        this.function = function;
        this.argumentsJson = argumentsJson;
        this.trigger = trigger;
        this.holdAnswer = holdAnswer;
    }

    /** Calls {@code function} (e.g. {@code obsidian__search_content}) with {@code argumentsJson} on every first turn. */
    public static ToolCallingModel calling(String callId, String function, String argumentsJson) {
        return new ToolCallingModel(callId, function, argumentsJson, null, null);
    }

    /** Calls the tool only when the last user message contains {@code trigger}; otherwise answers {@link #TEXT}. */
    public ToolCallingModel onlyWhenAskedWith(String trigger) {
        return new ToolCallingModel(callId, function, argumentsJson, trigger, holdAnswer);
    }

    /** Streams "Found: ", then waits (up to 30 s) for {@code latch} before the rest: lets a test see the stream in flight. */
    public ToolCallingModel holdingTheAnswerUntil(CountDownLatch latch) {
        return new ToolCallingModel(callId, function, argumentsJson, trigger, latch);
    }

    @Override
    public void respond(LocalModelServer.Received request, HttpExchange exchange) throws Exception {
        JsonNode body = request.json();
        String toolResult = lastContent(body, "tool");
        String user = lastContent(body, "user");
        OutputStream out = LocalModelServer.openSse(exchange);
        if (toolResult != null) {
            Matcher m = NOTE.matcher(toolResult);
            String found = m.find() ? m.group(1) : "nothing";
            sse(out, "{\"role\":\"assistant\",\"content\":\"Found: \"}", null);
            if (holdAnswer != null) {
                holdAnswer.await(30, TimeUnit.SECONDS);
            }
            sse(out, "{\"content\":" + LocalModelServer.quote(found) + "}", null);
            sse(out, "{}", "stop");
        } else if (trigger == null || (user != null && user.contains(trigger))) {
            int cut = argumentsJson.length() / 2;
            sse(out, "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"" + callId
                    + "\",\"type\":\"function\",\"function\":{\"name\":\"" + function + "\",\"arguments\":\"\"}}]}", null);
            sse(out, arguments(argumentsJson.substring(0, cut)), null);
            sse(out, arguments(argumentsJson.substring(cut)), null);
            sse(out, "{}", "tool_calls");
        } else {
            sse(out, "{\"role\":\"assistant\",\"content\":\"Hello \"}", null);
            sse(out, "{\"content\":\"from the \"}", null);
            sse(out, "{\"content\":\"test model.\"}", null);
            sse(out, "{}", "stop");
        }
        LocalModelServer.frame(out, null, "[DONE]");
    }

    private static String arguments(String piece) {
        return "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":" + LocalModelServer.quote(piece) + "}}]}";
    }

    private static void sse(OutputStream out, String delta, String finish) throws IOException {
        LocalModelServer.frame(out, null, LocalModelServer.openAiChunk(MODEL, delta, finish));
    }

    private static String lastContent(JsonNode body, String role) {
        String last = null;
        for (JsonNode m : body.path("messages")) {
            if (role.equals(m.path("role").asText())) {
                JsonNode c = m.path("content");
                last = c.isTextual() ? c.asText() : c.toString();
            }
        }
        return last;
    }
}
