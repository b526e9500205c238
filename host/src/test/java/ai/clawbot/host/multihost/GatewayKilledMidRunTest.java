package ai.clawbot.host.multihost;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewayChild;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.TestPostgres;
import ai.clawbot.testkit.model.LocalModelServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the gateway running a session's lane, mid-run: gateway A is a child JVM ({@link GatewayChild}) whose run
 * is streaming from the local model when it is SIGKILLed; gateway B, on the same PostgreSQL, serves the session's
 * next {@code chat.send} (the lane's advisory lock died with A's connection), every acknowledged message is in the
 * transcript, and A's run is reported {@code interrupted}, not run again, however often its key is retried.
 */
class GatewayKilledMidRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SESSION = "agent:default:handover";

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void bServesTheSessionAfterAIsKilledMidRunAndTheRunIsReportedInterruptedOnce() throws Exception {
        CountDownLatch midRun = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        TestPostgres pg = TestPostgres.shared();
        try (LocalModelServer model = LocalModelServer.start((request, exchange) -> {
                 OutputStream out = LocalModelServer.openSse(exchange);
                 LocalModelServer.frame(out, null, LocalModelServer.openAiText("test-model", "thinking "));
                 out.flush();
                 midRun.countDown();
                 never.await(); // A's run streams this far and no further: it is mid-run when A dies
             })) {
            String url = pg.createDatabase();
            Path stateA = tmp.resolve("a");
            Path stateB = tmp.resolve("b");
            for (Path state : List.of(stateA, stateB)) {
                Files.createDirectories(state);
                Files.writeString(state.resolve("openclaw.json"), """
                        {"gateway": {"store": {"kind": "postgres", "url": "%s"}},
                         "models": {"providers": {"local": {"api": "openai-compatible", "baseUrl": "%s", "models": ["test-model"]}},
                                    "routing": {"planner": "local/test-model"}}}
                        """.formatted(url, model.v1Url()));
            }
            Process a = startChild(stateA);
            try (Gateway b = TestGateway.start(stateB, Gateway.Options.defaults())) {
                int portA = readPort(a);
                String keyA = "key-on-a";
                JsonNode ackA;
                try (ProtocolClient onA = ProtocolClient.connect(URI.create("ws://127.0.0.1:" + portA + "/"), TestGateway.TOKEN)) {
                    ackA = ok(onA.request("chat.send", send("acknowledged by A", keyA)));
                    assertThat(ackA.path("status").asText()).isEqualTo("started");
                    assertThat(midRun.await(30, TimeUnit.SECONDS)).as("A's run reached the model").isTrue();
                    a.destroyForcibly(); // SIGKILL
                    assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
                }
                model.respondWith(LocalModelServer.openAiReply("test-model", "answered ", "by B"));
                try (ProtocolClient onB = ProtocolClient.connect(b.webSocketUri(), TestGateway.TOKEN)) {
                    JsonNode ackB = ok(onB.request("chat.send", send("sent to B after the kill", "key-on-b")));
                    assertThat(ackB.path("status").asText()).isEqualTo("started");
                    String runB = ackB.path("runId").asText();
                    List<JsonNode> events = onB.eventsUntil(e -> "agent".equals(e.path("event").asText())
                            && runB.equals(e.path("payload").path("runId").asText())
                            && "end".equals(e.path("payload").path("data").path("phase").asText()), Duration.ofSeconds(30));
                    assertThat(events).as("B ran the session's next message").isNotEmpty();

                    // A client retrying A's send (same key, same text) on B: told it was interrupted, never run again.
                    for (int i = 0; i < 3; i++) {
                        JsonNode retry = ok(onB.request("chat.send", send("acknowledged by A", keyA)));
                        assertThat(retry.path("status").asText()).isEqualTo("interrupted");
                        assertThat(retry.path("runId").asText()).isEqualTo(ackA.path("runId").asText());
                        assertThat(retry.path("messageId").asText()).isEqualTo(ackA.path("messageId").asText());
                    }

                    JsonNode history = ok(onB.request("chat.history", JSON.createObjectNode().put("sessionKey", SESSION)));
                    List<String> lines = new ArrayList<>();
                    history.path("messages").forEach(m -> lines.add(m.path("role").asText() + ": "
                            + m.path("content").path(0).path("text").asText()));
                    assertThat(lines).containsExactly("user: acknowledged by A", "user: sent to B after the kill",
                            "assistant: answered by B");
                }
            } finally {
                never.countDown();
                a.destroyForcibly();
            }
        }
    }

    private static ObjectNode send(String message, String key) {
        return JSON.createObjectNode().put("sessionKey", SESSION).put("message", message).put("idempotencyKey", key);
    }

    private static JsonNode ok(JsonNode res) {
        assertThat(res.path("ok").asBoolean()).as("expected ok: %s", res).isTrue();
        return res.path("payload");
    }

    private Process startChild(Path state) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                GatewayChild.class.getName(), state.toString(), TestGateway.TOKEN)
                .redirectError(tmp.resolve("a.err").toFile()).start();
    }

    private int readPort(Process p) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("PORT ")) {
                return Integer.parseInt(line.substring(5).trim());
            }
        }
        throw new AssertionError("gateway A exited before it was ready: " + Files.readString(tmp.resolve("a.err")));
    }
}
