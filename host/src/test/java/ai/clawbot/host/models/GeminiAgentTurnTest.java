package ai.clawbot.host.models;

import static ai.clawbot.testkit.model.LocalModelServer.frame;
import static ai.clawbot.testkit.model.LocalModelServer.openSse;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.testkit.model.LocalModelServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An agent turn through the gateway on a Gemini model: {@code chat.send} → the agent loop streams from a local
 * server speaking Gemini's wire format → deltas and the final answer reach the WebSocket client, and
 * {@code chat.history} holds the turn. The key is in the header only, and nowhere in the state folder afterwards
 * (transcripts, audit, logs).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GeminiAgentTurnTest {

    private static final String KEY = "AIza-agent-turn-key-7f3e";

    @Test
    void chatSendOnAGeminiModelStreamsTheAnswerAndHistoryHoldsTheTurn() throws Exception {
        List<String> uris = new CopyOnWriteArrayList<>();
        Path state = Files.createTempDirectory("claw-gemini-turn");
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(new SimpleFormatter().format(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try (LocalModelServer gemini = LocalModelServer.start((request, exchange) -> {
            uris.add(exchange.getRequestURI().toString());
            OutputStream out = openSse(exchange);
            for (String piece : List.of("The tide ", "turns at ", "six.")) {
                frame(out, null, "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":"
                        + LocalModelServer.quote(piece) + "}]},\"index\":0" + (piece.endsWith(".")
                        ? ",\"finishReason\":\"STOP\"" : "") + "}],\"usageMetadata\":{\"promptTokenCount\":12,"
                        + "\"candidatesTokenCount\":6,\"totalTokenCount\":18},\"modelVersion\":\"gemini-test\"}");
            }
        })) {
            Files.writeString(state.resolve("openclaw.json"), "{\"models\":{\"providers\":{\"gemini\":{"
                    + "\"api\":\"google-generative-ai\",\"baseUrl\":\"" + gemini.baseUrl() + "/v1beta\","
                    + "\"apiKey\":\"" + KEY + "\",\"models\":[\"gemini-test\"]}},"
                    + "\"routing\":{\"planner\":\"gemini/gemini-test\"}}}");
            String sessionKey = "agent:default:tides";
            try (Gateway gateway = TestGateway.start(state, SandboxObserver.NONE);
                 ProtocolClient client = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
                JsonNode ack = client.request("chat.send", ProtocolClient.params().put("sessionKey", sessionKey)
                        .put("message", "When does the tide turn?")
                        .put("idempotencyKey", UUID.randomUUID().toString()));
                assertThat(ack.path("ok").asBoolean()).as(ack.toString()).isTrue();
                String runId = ack.at("/payload/runId").asText();

                List<JsonNode> run = client.eventsUntil(e -> runId.equals(e.at("/payload/runId").asText())
                        && "chat".equals(e.path("event").asText())
                        && List.of("final", "error", "aborted").contains(e.at("/payload/state").asText()),
                        Duration.ofSeconds(30)).stream()
                        .filter(e -> runId.equals(e.at("/payload/runId").asText())).toList();
                JsonNode last = run.get(run.size() - 1);
                assertThat(last.at("/payload/state").asText()).as(last.toString()).isEqualTo("final");
                assertThat(text(last.at("/payload/message"))).isEqualTo("The tide turns at six.");
                assertThat(run.stream().filter(e -> "delta".equals(e.at("/payload/state").asText()))
                        .map(e -> e.at("/payload/deltaText").asText()).reduce("", String::concat))
                        .isEqualTo("The tide turns at six.");

                JsonNode history = client.request("chat.history",
                        ProtocolClient.params().put("sessionKey", sessionKey));
                JsonNode ms = history.at("/payload/messages");
                assertThat(ms.findValuesAsText("role")).as(ms.toString()).containsExactly("user", "assistant");
                assertThat(text(ms.get(0))).isEqualTo("When does the tide turn?");
                assertThat(text(ms.get(1))).isEqualTo("The tide turns at six.");
                assertThat(history.toString()).doesNotContain(KEY);

                // The usage Gemini reported (usageMetadata) is in /metrics, by provider and model.
                String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + gateway.port() + "/metrics"))
                                .header("Authorization", "Bearer " + TestGateway.TOKEN).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains(
                        "clawbot_model_tokens_total{direction=\"input\",model=\"gemini-test\",provider=\"gemini\"} 12.0",
                        "clawbot_model_tokens_total{direction=\"output\",model=\"gemini-test\",provider=\"gemini\"} 6.0",
                        "clawbot_model_calls_total{outcome=\"ok\",provider=\"gemini\"} 1.0")
                        .doesNotContain(KEY);
            }
            LocalModelServer.Received sent = gemini.last();
            assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-test:streamGenerateContent");
            assertThat(sent.header("x-goog-api-key")).isEqualTo(KEY);
            assertThat(sent.json().path("contents").toString()).contains("When does the tide turn?");
            assertThat(uris).isNotEmpty().allSatisfy(uri -> assertThat(uri).doesNotContain("key=").doesNotContain(KEY));
            // Key hygiene on disk: transcripts, audit and logs under the state folder never hold the key
            // (openclaw.json and its last-good copy, where the operator wrote it, are the exception).
            try (Stream<Path> files = Files.walk(state)) {
                List<Path> written = files.filter(Files::isRegularFile)
                        .filter(f -> !f.getFileName().toString().startsWith("openclaw.json")).toList();
                assertThat(written).as("the turn left files (transcript) to check").isNotEmpty();
                for (Path f : written) {
                    assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
                            .as("%s", f).doesNotContain(KEY);
                }
            }
            assertThat(logged).as("the gateway logged while it ran").isNotEmpty()
                    .allSatisfy(line -> assertThat(line).doesNotContain(KEY));
        } finally {
            root.removeHandler(capture);
            TestGateway.deleteTree(state);
        }
    }

    private static String text(JsonNode message) {
        StringBuilder b = new StringBuilder();
        for (JsonNode part : message.path("content")) {
            if ("text".equals(part.path("type").asText())) {
                b.append(part.path("text").asText());
            }
        }
        return b.toString();
    }
}
