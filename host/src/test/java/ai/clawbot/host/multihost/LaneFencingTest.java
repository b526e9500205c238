package ai.clawbot.host.multihost;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.agents.AgentEngine;
import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sessions.TranscriptEntry;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.TestPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Fencing on the cluster lane: gateway A runs a session and loses its lane connection while its process lives (the
 * backend is terminated with {@code pg_terminate_backend}); B takes the lane and runs the session; A's run, resumed,
 * is refused its next append (a stale lane epoch), ends {@code interrupted}, and nothing of it interleaves with B's run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LaneFencingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SESSION = "agent:default:fenced";
    /** PostgresRuns.LANE_CLASS: the first key of every lane's advisory lock. */
    private static final int LANE_CLASS = 0x636c62;

    private final CountDownLatch inSlowRun = new CountDownLatch(1);
    private final CountDownLatch resume = new CountDownLatch(1);

    /** "slow on A" records a step, waits until the test resumes it, then tries to record another and reply. */
    private final AgentEngine engine = (turn, out) -> {
        if (turn.message().equals("slow on A")) {
            out.record(step(turn.runId(), "before the cut"));
            inSlowRun.countDown();
            if (!resume.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never resumed the run");
            }
            out.record(step(turn.runId(), "after the cut"));
            return new AgentEngine.Reply("A's late reply", "stop");
        }
        return new AgentEngine.Reply("re: " + turn.message(), "stop");
    };

    private String url;
    private Path stateA;
    private Path stateB;
    private Gateway a;
    private Gateway b;

    @BeforeAll
    void start() throws Exception {
        url = TestPostgres.shared().createDatabase();
        stateA = Files.createTempDirectory("claw-fence-a");
        stateB = Files.createTempDirectory("claw-fence-b");
        for (Path state : List.of(stateA, stateB)) {
            Files.writeString(state.resolve("openclaw.json"),
                    "{\"gateway\": {\"store\": {\"kind\": \"postgres\", \"url\": \"" + url + "\", \"maxPoolSize\": 4}}}");
        }
        a = TestGateway.start(stateA, Gateway.Options.defaults().engine(() -> engine));
        b = TestGateway.start(stateB, Gateway.Options.defaults().engine(() -> engine));
    }

    @AfterAll
    void stop() throws Exception {
        resume.countDown();
        for (AutoCloseable c : new AutoCloseable[] {a, b}) {
            if (c != null) {
                c.close();
            }
        }
        TestGateway.deleteTree(stateA);
        TestGateway.deleteTree(stateB);
    }

    @Test
    void aRunThatLostItsLaneIsRefusedItsNextAppendAndEndsInterrupted() throws Exception {
        try (ProtocolClient onA = ProtocolClient.connect(a.webSocketUri(), TestGateway.TOKEN);
             ProtocolClient onB = ProtocolClient.connect(b.webSocketUri(), TestGateway.TOKEN);
             Connection admin = DriverManager.getConnection(url)) {
            String keyA = UUID.randomUUID().toString();
            String runA = ok(onA.request("chat.send", send("slow on A", keyA))).path("runId").asText();
            assertThat(inSlowRun.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("A's run holds the lane").isTrue();
            assertThat(laneEpoch(admin)).isEqualTo(1);

            // A loses its lane connection while its process (and its run) lives on.
            assertThat(terminateLaneBackends(admin)).as("A's lane connection").isEqualTo(1);

            // B takes the lane (its lock waits until the terminated backend is gone) and runs the session.
            String runB = ok(onB.request("chat.send", send("quick on B", UUID.randomUUID().toString()))).path("runId").asText();
            List<JsonNode> bEvents = runEvents(onB, runB, "end");
            assertThat(bEvents).isNotEmpty();
            assertThat(laneEpoch(admin)).as("B's lane moved the epoch on").isEqualTo(2);

            // A's run resumes: its next append holds epoch 1 and is refused; the run ends interrupted.
            resume.countDown();
            JsonNode error = onA.eventsUntil(e -> "chat".equals(e.path("event").asText())
                    && runA.equals(e.path("payload").path("runId").asText())
                    && "error".equals(e.path("payload").path("state").asText()), WAIT).getLast();
            assertThat(error.path("payload").path("errorKind").asText()).isEqualTo("interrupted");
            assertThat(error.path("payload").path("errorMessage").asText()).contains("taken by another gateway");

            assertThat(transcript(admin)).as("A's writes stop at the cut; nothing of A interleaves with B's run")
                    .containsExactly("slow on A", "before the cut", "quick on B", "re: quick on B");

            // Reported once, as interrupted, on both gateways; a retry does not re-run it.
            assertThat(ok(onA.request("chat.send", send("slow on A", keyA))).path("status").asText()).isEqualTo("interrupted");
            assertThat(ok(onB.request("chat.send", send("slow on A", keyA))).path("status").asText()).isEqualTo("interrupted");

            // A takes the lane again (a fresh epoch) for its next run of the session, which writes normally.
            String again = ok(onA.request("chat.send", send("A again", UUID.randomUUID().toString()))).path("runId").asText();
            runEvents(onA, again, "end");
            assertThat(laneEpoch(admin)).isEqualTo(3);
            assertThat(transcript(admin)).endsWith("A again", "re: A again").doesNotContain("after the cut", "A's late reply");
        }
    }

    private static ObjectNode send(String message, String key) {
        return JSON.createObjectNode().put("sessionKey", SESSION).put("message", message).put("idempotencyKey", key);
    }

    private static TranscriptEntry step(String runId, String text) {
        ObjectNode payload = JSON.createObjectNode().put("role", "assistant");
        payload.putArray("content").addObject().put("type", "text").put("text", text);
        payload.put("runId", runId).put("stopReason", "toolUse");
        return TranscriptEntry.of("message", payload);
    }

    private static int terminateLaneBackends(Connection admin) throws Exception {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid))"
                + " FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid::bigint = " + LANE_CLASS
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static long laneEpoch(Connection admin) throws Exception {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT lane_epoch FROM session_lanes WHERE session_key = '" + SESSION + "'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** The session's transcript lines' texts, in append order, straight from the database. */
    private static List<String> transcript(Connection admin) throws Exception {
        List<String> texts = new ArrayList<>();
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SELECT t.line FROM transcript_entries t"
                + " JOIN sessions se ON se.session_id = t.session_id WHERE se.session_key = '" + SESSION + "' ORDER BY t.seq")) {
            while (rs.next()) {
                texts.add(JSON.readTree(rs.getString(1)).path("content").path(0).path("text").asText());
            }
        }
        return texts;
    }

    private static List<JsonNode> runEvents(ProtocolClient c, String runId, String phase) throws InterruptedException {
        return c.eventsUntil(e -> "agent".equals(e.path("event").asText())
                && runId.equals(e.path("payload").path("runId").asText())
                && phase.equals(e.path("payload").path("data").path("phase").asText()), WAIT);
    }

    private static JsonNode ok(JsonNode res) {
        assertThat(res.path("ok").asBoolean()).as("expected ok: %s", res).isTrue();
        return res.path("payload");
    }
}
