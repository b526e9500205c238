package ai.clawbot.bench;

import ai.clawbot.host.wiring.Gateways;

import ai.clawbot.host.agents.OfferedTools;
import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.testkit.model.LocalModelServer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An agent text turn on the Gemini adapter ({@code api: google-generative-ai}) against the same call made directly
 * with langchain4j's {@link GoogleAiGeminiStreamingChatModel}, same run, same local server speaking Gemini's SSE
 * wire format. Both sides have the model server's own time taken off. Not part of the test suite:
 * {@code ./bench/run-gemini.sh [turns=200] [warmup=50]}.
 */
public final class GeminiTurnBench {

    private static final String TOKEN = "bench-token-0123456789abcdef";
    private static final String KEY = "AIza-bench-key";
    private static final String SESSION = "agent:default:bench-gemini";
    private static final String MESSAGE = "Say hello.";
    private static final String ANSWER = "Hello from Gemini.";

    private GeminiTurnBench() {
    }

    public static void main(String[] args) throws Exception {
        int turns = args.length > 0 ? Integer.parseInt(args[0].replaceFirst("^turns=", "")) : 200;
        int warmup = args.length > 1 ? Integer.parseInt(args[1].replaceFirst("^warmup=", "")) : 50;
        Logger.getLogger("").setLevel(Level.WARNING);
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Path root = Files.createTempDirectory("claw-gemini-bench");
        try (LocalModelServer server = LocalModelServer.start((request, exchange) -> {
            if (!KEY.equals(request.header("x-goog-api-key")) || exchange.getRequestURI().toString().contains("key=")) {
                throw new IllegalStateException("key not in the header only: " + exchange.getRequestURI());
            }
            OutputStream out = openSse(exchange);
            for (String piece : List.of("Hello ", "from ", "Gemini.")) {
                LocalModelServer.frame(out, null, "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":"
                        + LocalModelServer.quote(piece) + "}]},\"index\":0" + (piece.endsWith(".")
                        ? ",\"finishReason\":\"STOP\"" : "") + "}],\"usageMetadata\":{\"promptTokenCount\":12,"
                        + "\"candidatesTokenCount\":3,\"totalTokenCount\":15},\"modelVersion\":\"gemini-test\"}");
            }
        })) {
            String baseUrl = server.baseUrl() + "/v1beta";
            Files.writeString(root.resolve("openclaw.json"), "{\"models\":{\"providers\":{\"gemini\":{"
                    + "\"api\":\"google-generative-ai\",\"baseUrl\":\"" + baseUrl + "\",\"apiKey\":\"" + KEY + "\","
                    + "\"models\":[\"gemini-test\"]}},\"routing\":{\"planner\":\"gemini/gemini-test\"}}}");
            Gateway gw = Gateways.start(new GatewayConfig("127.0.0.1", 0, TOKEN, new StateDir(root)),
                    Gateway.Options.defaults());
            try (TurnClient c = TurnClient.connect(gw.port(), TOKEN)) {
                // The baseline replays the gateway's own request: its system instruction and the tools it offers.
                reset(c);
                server.drain();
                c.chat(SESSION, MESSAGE);
                JsonNode gwBody = TurnClient.JSON.readTree(server.drain(1).get(0).request().body());
                String system = gwBody.at("/systemInstruction/parts/0/text").asText();
                ChatRequest request = ChatRequest.builder()
                        .messages(SystemMessage.from(system), UserMessage.from(MESSAGE))
                        .toolSpecifications(OfferedTools.of(gw.catalog().skills(), (s, t) -> true).specifications())
                        .build();
                StreamingChatModel direct = direct(baseUrl);
                chat(direct, request);
                JsonNode directBody = TurnClient.JSON.readTree(server.drain(1).get(0).request().body());
                boolean same = gwBody.equals(directBody);

                long[] turn = new long[turns];
                long[] baseline = new long[turns];
                for (int i = -warmup; i < turns; i++) {
                    reset(c);
                    server.drain();
                    TurnClient.Turn t = c.chat(SESSION, MESSAGE);
                    long model = LocalModelServer.totalNanos(server.drain(1));
                    if (!ANSWER.equals(t.text())) {
                        throw new IllegalStateException("the turn answered '" + t.text() + "'");
                    }
                    long d = chat(direct, request);
                    long directModel = LocalModelServer.totalNanos(server.drain(1));
                    if (i >= 0) {
                        turn[i] = t.wallNanos() - model;
                        baseline[i] = d - directModel;
                    }
                }
                System.out.printf("%nGemini text turns: %d measured after %d warmup; request bodies identical to the"
                        + " direct langchain4j call's: %s%n", turns, warmup, same ? "yes" : "NO");
                System.out.printf("gateway turn (chat.send to final, minus model server time): p50 %.3f ms, p90 %.3f ms%n",
                        ms(turn, 50), ms(turn, 90));
                System.out.printf("direct langchain4j GoogleAiGeminiStreamingChatModel call:  p50 %.3f ms, p90 %.3f ms%n",
                        ms(baseline, 50), ms(baseline, 90));
                System.out.printf("added by the gateway, p50: %.3f ms%n", ms(turn, 50) - ms(baseline, 50));
            } finally {
                gw.close();
            }
        } finally {
            try (var s = Files.walk(root)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static OutputStream openSse(com.sun.net.httpserver.HttpExchange exchange) throws java.io.IOException {
        return LocalModelServer.openSse(exchange);
    }

    /** Set up as the gateway's factory sets it up: JDK client, HTTP/1.1 for plain http. */
    private static StreamingChatModel direct(String baseUrl) {
        Duration timeout = Duration.ofSeconds(60);
        HttpClient.Builder jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        return GoogleAiGeminiStreamingChatModel.builder()
                .httpClientBuilder(JdkHttpClient.builder().httpClientBuilder(jdk).connectTimeout(timeout).readTimeout(timeout))
                .baseUrl(baseUrl).apiKey(KEY).modelName("gemini-test").timeout(timeout).build();
    }

    private static long chat(StreamingChatModel model, ChatRequest request) throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        long t0 = System.nanoTime();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        done.get(60, TimeUnit.SECONDS);
        return System.nanoTime() - t0;
    }

    private static void reset(TurnClient c) throws java.io.IOException {
        c.request("sessions.reset", TurnClient.JSON.createObjectNode().put("sessionKey", SESSION));
    }

    private static double ms(long[] xs, int pct) {
        return Latencies.percentile(xs, pct) / 1e6;
    }
}
