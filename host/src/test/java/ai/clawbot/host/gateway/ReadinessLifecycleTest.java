package ai.clawbot.host.gateway;

import ai.clawbot.host.wiring.Gateways;

import ai.clawbot.host.config.StateDir;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.agents.AgentEngine;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's life as probes and clients see it: the port opens before services load ({@code /readyz} 503
 * "starting", {@code connect} a retryable UNAVAILABLE), then ready, then, during {@code close()} with a slow run
 * in flight, 503 "draining" while connected clients get {@code shutdown} and the run still finishes.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class ReadinessLifecycleTest {

    private static final String COMPLETIONS_ON =
            "{\"gateway\":{\"http\":{\"endpoints\":{\"chatCompletions\":{\"enabled\":true}}}}}";
    private static final String BEARER = "Bearer " + TestGateway.TOKEN;

    @TempDir
    Path dir;

    @Test
    void startingThenReadyThenDrainingWithAShutdownEventWhileARunFinishes() throws Exception {
        GatewayHttp.writeConfig(dir, COMPLETIONS_ON);
        int port = GatewayHttp.freePort();
        GatewayHttp http = GatewayHttp.on(port);
        URI ws = URI.create("ws://127.0.0.1:" + port + "/");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Gateway.Options options = Gateway.Options.defaults()
                .engine(() -> (turn, out) -> {
                    // In flight until the test has seen the draining state: a fixed-length run (2.5 s) raced it.
                    out.assistantDelta("held ");
                    if (!finish.await(20, TimeUnit.SECONDS)) {
                        return new AgentEngine.Reply("held ", "aborted");
                    }
                    out.assistantDelta("done");
                    return new AgentEngine.Reply("held done", "stop");
                })
                .beforeReady(() -> {
                    held.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        // A thread of its own: holding a common-pool thread starves the JDK HttpClient's WebSocket on small machines.
        CompletableFuture<Gateway> starting = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("gateway-start").start(() -> {
            try {
                starting.complete(Gateways.start(new GatewayConfig("127.0.0.1", port, TestGateway.TOKEN, new StateDir(dir)), options));
            } catch (Throwable e) {
                starting.completeExceptionally(e);
            }
        });
        Gateway gateway = null;
        boolean closed = false;
        try {
            assertThat(held.await(20, TimeUnit.SECONDS)).as("start-up reached beforeReady").isTrue();

            // Starting: the process is live, not ready; connect is told to retry; the HTTP API says 503 too.
            assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> startingProbe = http.get("/readyz");
            assertThat(startingProbe.statusCode()).isEqualTo(503);
            assertThat(GatewayHttp.json(startingProbe))
                    .isEqualTo(GatewayHttp.JSON.readTree("{\"ready\":false,\"status\":\"starting\"}"));
            try (ProtocolClient early = ProtocolClient.open(ws)) {
                JsonNode refused = early.sendConnect(TestGateway.TOKEN);
                assertThat(refused.path("ok").asBoolean()).isFalse();
                JsonNode error = refused.path("error");
                assertThat(error.path("code").asText()).isEqualTo("UNAVAILABLE");
                assertThat(error.path("retryable").asBoolean()).isTrue();
                assertThat(error.path("retryAfterMs").asLong()).isPositive();
                assertThat(error.path("details").path("code").asText()).isEqualTo("STARTING");
            }
            HttpResponse<String> earlyChat = http.post("/v1/chat/completions", chatBody("too early"),
                    "Authorization", BEARER, "Content-Type", "application/json");
            assertThat(earlyChat.statusCode()).isEqualTo(503);
            assertThat(earlyChat.headers().firstValue("retry-after")).isPresent();
            assertThat(starting).isNotDone();

            release.countDown();
            gateway = starting.get(20, TimeUnit.SECONDS);
            assertThat(gateway.port()).isEqualTo(port);
            HttpResponse<String> readyProbe = http.get("/readyz");
            assertThat(readyProbe.statusCode()).isEqualTo(200);
            assertThat(GatewayHttp.json(readyProbe)).isEqualTo(GatewayHttp.JSON.readTree("{\"ready\":true,\"status\":\"ready\"}"));

            try (ProtocolClient client = ProtocolClient.connect(ws, TestGateway.TOKEN)) {
                JsonNode ack = client.request("chat.send", ProtocolClient.params().put("sessionKey", "main")
                        .put("message", "take your time").put("idempotencyKey", "slow-1"));
                assertThat(ack.path("ok").asBoolean()).as(ack.toString()).isTrue();
                String runId = ack.path("payload").path("runId").asText();
                List<JsonNode> events = new ArrayList<>();
                awaitEvent(client, events, e -> "chat".equals(e.path("event").asText())
                        && "delta".equals(e.path("payload").path("state").asText()));

                Gateway closing = gateway;
                CompletableFuture<Void> close = new CompletableFuture<>();
                Thread.ofPlatform().daemon().name("gateway-close").start(() -> {
                    closing.close();
                    close.complete(null);
                });
                closed = true;
                GatewayHttp.await(Duration.ofSeconds(5), "/readyz 503", () -> status(http, "/readyz") == 503);
                HttpResponse<String> drainingProbe = http.get("/readyz");
                assertThat(drainingProbe.statusCode()).isEqualTo(503);
                assertThat(GatewayHttp.json(drainingProbe))
                        .isEqualTo(GatewayHttp.JSON.readTree("{\"ready\":false,\"status\":\"draining\"}"));
                assertThat(close).as("close() waits for the slow run").isNotDone();

                awaitEvent(client, events, e -> "shutdown".equals(e.path("event").asText()));
                try (ProtocolClient late = ProtocolClient.open(ws)) {
                    JsonNode refused = late.sendConnect(TestGateway.TOKEN);
                    assertThat(refused.path("error").path("code").asText()).isEqualTo("UNAVAILABLE");
                    assertThat(refused.path("error").path("details").path("code").asText()).isEqualTo("SHUTTING_DOWN");
                }
                // Drain lets the in-flight run finish normally (within close()'s 5 s grace) before the server stops.
                finish.countDown();
                JsonNode fin = awaitEvent(client, events, e -> "chat".equals(e.path("event").asText())
                        && runId.equals(e.path("payload").path("runId").asText())
                        && !"delta".equals(e.path("payload").path("state").asText()));
                assertThat(fin.path("payload").path("state").asText()).isEqualTo("final");
                assertThat(fin.path("payload").path("stopReason").asText()).isEqualTo("stop");
                close.get(15, TimeUnit.SECONDS);
            }
        } finally {
            release.countDown();
            finish.countDown();
            if (gateway == null) {
                try {
                    gateway = starting.get(20, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // start failed; nothing to close
                }
            }
            if (gateway != null && !closed) {
                gateway.close();
            }
        }
    }

    private static String chatBody(String text) {
        return "{\"model\":\"clawbot/default\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    private static int status(GatewayHttp http, String path) {
        try {
            return http.get(path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Reads events until one matches (keeping all in {@code seen}); fails after 10 s. */
    private static JsonNode awaitEvent(ProtocolClient c, List<JsonNode> seen, java.util.function.Predicate<JsonNode> match)
            throws InterruptedException {
        for (JsonNode e : seen) {
            if (match.test(e)) {
                return e;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            JsonNode e = c.nextEvent(Duration.ofMillis(200));
            if (e != null) {
                seen.add(e);
                if (match.test(e)) {
                    return e;
                }
            }
        }
        throw new AssertionError("no matching event in 10 s; saw " + seen.size() + " events, last: "
                + (seen.isEmpty() ? "none" : seen.get(seen.size() - 1)));
    }
}
