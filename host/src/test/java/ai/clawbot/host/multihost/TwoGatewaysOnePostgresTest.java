package ai.clawbot.host.multihost;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.agents.AgentEngine;
import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.TestPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Two in-process gateways, each with its own state folder, on one real PostgreSQL through {@code gateway.store}
 * (the config path an operator uses): B's clients see A's runs, both list the same sessions, and {@code /readyz}
 * follows the database through a restart without losing an acknowledged message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TwoGatewaysOnePostgresTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(15);

    /** Streams its reply in five deltas, so order across gateways can be checked. */
    private static final AgentEngine ENGINE = (turn, out) -> {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            String part = "part" + i + " ";
            out.assistantDelta(part);
            all.append(part);
        }
        return new AgentEngine.Reply(all + "re: " + turn.message(), "stop");
    };

    private TestPostgres pg;
    private String url;
    private Path stateA;
    private Path stateB;
    private Gateway a;
    private Gateway b;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        pg = TestPostgres.start();
        url = pg.createDatabase();
        stateA = Files.createTempDirectory("claw-a");
        stateB = Files.createTempDirectory("claw-b");
        for (Path state : List.of(stateA, stateB)) {
            Files.writeString(state.resolve("openclaw.json"),
                    "{\"gateway\": {\"store\": {\"kind\": \"postgres\", \"url\": \"" + url + "\", \"maxPoolSize\": 4}}}");
        }
        a = TestGateway.start(stateA, Gateway.Options.defaults().engine(() -> ENGINE));
        b = TestGateway.start(stateB, Gateway.Options.defaults().engine(() -> ENGINE));
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, pg}) {
            if (c != null) {
                c.close();
            }
        }
        TestGateway.deleteTree(stateA);
        TestGateway.deleteTree(stateB);
    }

    @Test
    @Order(1)
    void aClientOnBReceivesTheEventsOfARunOnAInOrder() throws Exception {
        try (ProtocolClient onA = ProtocolClient.connect(a.webSocketUri(), TestGateway.TOKEN);
             ProtocolClient onB = ProtocolClient.connect(b.webSocketUri(), TestGateway.TOKEN)) {
            String runId = send(onA, "agent:default:fanout", "hello from A");
            List<JsonNode> seenOnA = runEvents(onA, runId);
            List<JsonNode> seenOnB = runEvents(onB, runId);
            assertThat(seenOnA).hasSizeGreaterThanOrEqualTo(7); // lifecycle start, 5 deltas, final, lifecycle end
            assertThat(payloads(seenOnB)).as("B sees A's run, event for event, in A's order").isEqualTo(payloads(seenOnA));
        }
    }

    @Test
    @Order(2)
    void sessionsListAndHistoryAgreeOnBothGateways() throws Exception {
        try (ProtocolClient onA = ProtocolClient.connect(a.webSocketUri(), TestGateway.TOKEN);
             ProtocolClient onB = ProtocolClient.connect(b.webSocketUri(), TestGateway.TOKEN)) {
            String runId = send(onB, "agent:default:shared", "written through B");
            runEvents(onB, runId);
            JsonNode listA = ok(onA.request("sessions.list", JSON.createObjectNode()));
            JsonNode listB = ok(onB.request("sessions.list", JSON.createObjectNode()));
            assertThat(listA.path("count").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(listA.path("sessions")).isEqualTo(listB.path("sessions"));
            JsonNode history = ok(onA.request("chat.history", JSON.createObjectNode().put("sessionKey", "agent:default:shared")));
            assertThat(history.path("messages")).extracting(m -> m.path("role").asText()).containsExactly("user", "assistant");
            assertThat(history.path("messages").get(0).path("content").toString()).contains("written through B");
        }
    }

    @Test
    @Order(3)
    void aDatabaseRestartMidTrafficLosesNoAcknowledgedMessageAndReadyzFollowsIt() throws Exception {
        assertThat(readyz(a)).isEqualTo(200);
        assertThat(readyz(b)).isEqualTo(200);
        java.util.Queue<String> acknowledged = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch someAcked = new CountDownLatch(10);
        java.util.concurrent.atomic.AtomicReference<CountDownLatch> acks = new java.util.concurrent.atomic.AtomicReference<>(someAcked);
        CountDownLatch someRefused = new CountDownLatch(4);
        List<Thread> senders = new ArrayList<>();
        for (Gateway g : List.of(a, b)) {
            senders.add(Thread.ofVirtual().start(() -> {
                try (ProtocolClient c = ProtocolClient.connect(g.webSocketUri(), TestGateway.TOKEN)) {
                    for (int n = 0; !stop.get(); n++) {
                        String text = "traffic " + g.port() + "-" + n;
                        JsonNode res = c.request("chat.send", JSON.createObjectNode().put("sessionKey", "agent:default:restart")
                                .put("message", text).put("idempotencyKey", UUID.randomUUID().toString()));
                        if (res.path("ok").asBoolean()) {
                            acknowledged.add(text);
                            acks.get().countDown();
                        } else {
                            refused.incrementAndGet();
                            someRefused.countDown();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        assertThat(someAcked.await(30, TimeUnit.SECONDS)).isTrue();
        pg.stop();
        assertThat(readyz(a)).isEqualTo(503);
        assertThat(readyz(b)).isEqualTo(503);
        assertThat(someRefused.await(60, TimeUnit.SECONDS)).as("sends during the outage are refused, not acknowledged").isTrue();
        pg.restart();
        // The pools reconnect on their own; each gateway reports ready again once its store answers.
        awaitReady(a);
        awaitReady(b);
        int before = acknowledged.size();
        CountDownLatch flowing = new CountDownLatch(10);
        acks.set(flowing);
        assertThat(flowing.await(30, TimeUnit.SECONDS)).as("traffic is acknowledged again after the restart").isTrue();
        stop.set(true);
        for (Thread t : senders) {
            t.join(WAIT.toMillis());
        }
        assertThat(acknowledged.size()).as("acknowledged after the restart").isGreaterThanOrEqualTo(before + 10);
        try (ProtocolClient onB = ProtocolClient.connect(b.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode history = ok(onB.request("chat.history", JSON.createObjectNode().put("sessionKey", "agent:default:restart")
                    .put("limit", 1000)));
            java.util.Set<String> stored = new java.util.HashSet<>();
            history.path("messages").forEach(m -> {
                if ("user".equals(m.path("role").asText())) {
                    stored.add(m.path("content").path(0).path("text").asText());
                }
            });
            assertThat(stored).as("every acknowledged message (%d, %d refused)", acknowledged.size(), refused.get())
                    .containsAll(acknowledged);
        }
        // The event listeners reconnected too: a run on B after the restart reaches a client on A.
        try (ProtocolClient onA = ProtocolClient.connect(a.webSocketUri(), TestGateway.TOKEN);
             ProtocolClient onB = ProtocolClient.connect(b.webSocketUri(), TestGateway.TOKEN)) {
            String runId = send(onB, "agent:default:after", "after the restart, on B");
            assertThat(payloads(runEvents(onA, runId))).isEqualTo(payloads(runEvents(onB, runId)));
        }
    }

    @Test
    @Order(6)
    void afterItsListenConnectionIsKilledBCatchesUpOnEveryEventItMissed() throws Exception {
        try (ProtocolClient onA = ProtocolClient.connect(a.webSocketUri(), TestGateway.TOKEN);
             ProtocolClient onB = ProtocolClient.connect(b.webSocketUri(), TestGateway.TOKEN);
             java.sql.Connection admin = java.sql.DriverManager.getConnection(url)) {
            int killed;
            try (var s = admin.createStatement(); var rs = s.executeQuery("SELECT count(pg_terminate_backend(pid))"
                    + " FROM pg_stat_activity WHERE application_name = 'claw-events-listen'")) {
                rs.next();
                killed = rs.getInt(1);
            }
            assertThat(killed).as("both gateways' LISTEN connections").isEqualTo(2);
            // Published while B's listener is down or reconnecting: B must still deliver all of it, in order.
            String runId = send(onA, "agent:default:catch-up", "while B was not listening");
            List<JsonNode> seenOnA = runEvents(onA, runId);
            assertThat(payloads(runEvents(onB, runId))).isEqualTo(payloads(seenOnA));
        }
    }

    @Test
    @Order(4)
    void theSameIdempotencyKeySentToAAndBAtOnceMakesOneRun() throws Exception {
        int rounds = 8;
        try (ProtocolClient onA = ProtocolClient.connect(a.webSocketUri(), TestGateway.TOKEN);
             ProtocolClient onB = ProtocolClient.connect(b.webSocketUri(), TestGateway.TOKEN)) {
            for (int i = 0; i < rounds; i++) {
                ObjectNode params = JSON.createObjectNode().put("sessionKey", "agent:default:twice").put("message", "once " + i)
                        .put("idempotencyKey", UUID.randomUUID().toString());
                var fromA = onA.requestAsync("chat.send", params);
                var fromB = onB.requestAsync("chat.send", params);
                JsonNode ackA = ok(fromA.get(15, TimeUnit.SECONDS));
                JsonNode ackB = ok(fromB.get(15, TimeUnit.SECONDS));
                assertThat(List.of(ackA.path("status").asText(), ackB.path("status").asText()))
                        .as("round %d: one send starts the run, the other is told about it", i)
                        .containsOnlyOnce("started");
                assertThat(ackB.path("runId").asText()).isEqualTo(ackA.path("runId").asText());
                JsonNode started = ackA.path("status").asText().equals("started") ? ackA : ackB;
                runEvents(started == ackA ? onA : onB, started.path("runId").asText());
            }
            JsonNode history = ok(onB.request("chat.history", JSON.createObjectNode().put("sessionKey", "agent:default:twice")));
            List<String> users = new ArrayList<>();
            history.path("messages").forEach(m -> {
                if ("user".equals(m.path("role").asText())) {
                    users.add(m.path("content").path(0).path("text").asText());
                }
            });
            assertThat(users).as("each key stored once").hasSize(rounds).doesNotHaveDuplicates();
        }
    }

    @Test
    @Order(5)
    void aSessionPolicySetThroughAHoldsOnB() throws Exception {
        try (ProtocolClient onA = ProtocolClient.connect(a.webSocketUri(), TestGateway.TOKEN);
             ProtocolClient onB = ProtocolClient.connect(b.webSocketUri(), TestGateway.TOKEN)) {
            ObjectNode invoke = JSON.createObjectNode().put("skill", "obsidian").put("tool", "search_content")
                    .put("sessionKey", "agent:default:narrowed");
            invoke.putObject("args").put("query", "lighthouse");
            ok(onA.request("sessions.patch", JSON.createObjectNode().put("sessionKey", "agent:default:narrowed")
                    .set("policy", JSON.readTree("{\"tools\":{\"deny\":[\"obsidian.search_content\"]}}"))));
            JsonNode refused = onB.request("tools.invoke", invoke);
            assertThat(refused.toString()).as("B applies the restriction A stored").contains("policy refused obsidian.search_content");
            ok(onB.request("sessions.patch", JSON.createObjectNode().put("sessionKey", "agent:default:narrowed").putNull("policy")));
            assertThat(onA.request("tools.invoke", invoke).toString()).as("and A sees B clear it")
                    .doesNotContain("policy refused");
        }
    }

    private static String send(ProtocolClient c, String sessionKey, String message) throws Exception {
        JsonNode ack = ok(c.request("chat.send", JSON.createObjectNode().put("sessionKey", sessionKey).put("message", message)
                .put("idempotencyKey", UUID.randomUUID().toString())));
        return ack.path("runId").asText();
    }

    /** The run's chat and agent events up to its lifecycle end. */
    private static List<JsonNode> runEvents(ProtocolClient c, String runId) throws InterruptedException {
        List<JsonNode> events = c.eventsUntil(e -> "agent".equals(e.path("event").asText())
                && runId.equals(e.path("payload").path("runId").asText())
                && "end".equals(e.path("payload").path("data").path("phase").asText()), WAIT);
        return events.stream().filter(e -> runId.equals(e.path("payload").path("runId").asText())).toList();
    }

    private static List<JsonNode> payloads(List<JsonNode> events) {
        return events.stream().map(e -> {
            ObjectNode o = JSON.createObjectNode().put("event", e.path("event").asText());
            o.set("payload", e.path("payload"));
            return (JsonNode) o;
        }).toList();
    }

    private static JsonNode ok(JsonNode res) {
        assertThat(res.path("ok").asBoolean()).as("expected ok: %s", res).isTrue();
        return res.path("payload");
    }

    private void awaitReady(Gateway g) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int status = readyz(g);
        while (status != 200 && System.nanoTime() < deadline) {
            status = readyz(g); // each check waits on the pool (up to its connection timeout): no sleep needed
        }
        assertThat(status).as("/readyz after the database came back").isEqualTo(200);
    }

    private int readyz(Gateway g) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/readyz")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
