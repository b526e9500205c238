package ai.clawbot.host.agents;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.sessions.Appended;
import ai.clawbot.host.sessions.FileSessionStore;
import ai.clawbot.host.sessions.SessionEntry;
import ai.clawbot.host.sessions.SessionStore;
import ai.clawbot.host.sessions.SessionStoreException;
import ai.clawbot.host.sessions.StaleLaneException;
import ai.clawbot.host.sessions.TranscriptEntry;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every way a keyed run can end tells the idempotency ledger (the cluster's {@code ended}) exactly once, with the run's
 * status, before the run's terminal {@code chat} event goes out: ok, aborted while running, aborted while queued, an
 * interrupted engine, a failing engine, a reply the store refuses, a lane lost to another gateway (during the run or
 * at its reply), and a lane that cannot be taken at all. A real file store under a thin store that fails on cue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatRunsEndRecordedTest {

    /** What happened, in order: {@code ended <key> <status>} and {@code chat <runId> <state>}. */
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final CountDownLatch blockerStarted = new CountDownLatch(1);
    private final CountDownLatch abortSeen = new CountDownLatch(1);
    private Path state;
    private FileSessionStore files;
    private ChatRuns runs;

    @BeforeAll
    void start() throws Exception {
        state = Files.createTempDirectory("claw-runends");
        files = FileSessionStore.open(state);
        RunCoordinator cluster = new RunCoordinator() {
            @Override
            public void ended(String idempotencyKey, String status) {
                log.add("ended " + idempotencyKey + " " + status);
            }

            @Override
            public void inLane(String agentId, String sessionKey, java.util.function.LongConsumer body) {
                if (sessionKey.endsWith(":lane-down")) {
                    throw new IllegalStateException("the lane table is unreachable");
                }
                body.accept(sessionKey.contains(":fenced") ? 7 : UNFENCED);
            }
        };
        runs = new ChatRuns(new CueStore(files, RunCoordinator.UNFENCED), AgentRegistry::builtIn, () -> this::engine,
                (event, payload) -> {
                    if (event.equals("chat") && !payload.path("state").asText().equals("delta")) {
                        log.add("chat " + payload.path("runId").asText() + " " + payload.path("state").asText());
                    }
                }, cluster);
    }

    @AfterAll
    void stop() throws Exception {
        runs.close();
        files.close();
        TestGateway.deleteTree(state);
    }

    /** The engine: what it does is named by the message. */
    private AgentEngine.Reply engine(AgentEngine.Turn turn, AgentEngine.RunStream out) throws InterruptedException {
        switch (turn.message()) {
            case "throw" -> throw new IllegalStateException("the model went away");
            case "interrupt" -> throw new InterruptedException();
            case "record" -> out.record(TranscriptEntry.of("message", JsonNodeFactory.instance.objectNode()
                    .put("role", "assistant").put("stopReason", "toolUse")));
            case "block" -> {
                blockerStarted.countDown();
                while (!out.aborted()) {
                    Thread.sleep(5); // an engine polls aborted() between its steps
                }
                abortSeen.countDown();
                return new AgentEngine.Reply("partial", "aborted");
            }
            default -> out.assistantDelta("hello");
        }
        return new AgentEngine.Reply("hello", "stop");
    }

    /** Sends {@code message} with a key, starts it, and waits for its end; the status. */
    private ChatRun sendAndEnd(String session, String message, String key) throws Exception {
        ChatRuns.Started started = (ChatRuns.Started) runs.send(session, message, key);
        started.start().run();
        started.run().completion().get(20, TimeUnit.SECONDS);
        return started.run();
    }

    /** The ledger heard of the run's end once, with {@code status}, before its terminal chat event. */
    private void assertEndRecordedFirst(ChatRun run, String key, String status, String chatState) {
        assertThat(run.status()).isEqualTo(status);
        List<String> ofRun = log.stream()
                .filter(l -> l.split(" ")[1].equals(key) || l.split(" ")[1].equals(run.runId())).toList();
        assertThat(ofRun).as(log.toString()).containsExactly("ended " + key + " " + status, "chat " + run.runId() + " " + chatState);
    }

    @Test
    void aRunThatFinishes() throws Exception {
        assertEndRecordedFirst(sendAndEnd("ok", "hi", "k-ok"), "k-ok", "ok", "final");
    }

    @Test
    void aRunWhoseEngineFails() throws Exception {
        assertEndRecordedFirst(sendAndEnd("throws", "throw", "k-throw"), "k-throw", "error", "error");
    }

    @Test
    void aRunWhoseEngineIsInterrupted() throws Exception {
        assertEndRecordedFirst(sendAndEnd("interrupts", "interrupt", "k-interrupt"), "k-interrupt", "aborted", "aborted");
    }

    @Test
    void aRunWhoseReplyTheStoreRefuses() throws Exception {
        assertEndRecordedFirst(sendAndEnd("reply-refused", "hi", "k-refused"), "k-refused", "error", "error");
    }

    @Test
    void aRunThatLosesItsLaneWhileRunning() throws Exception {
        assertEndRecordedFirst(sendAndEnd("fenced-run", "record", "k-fenced-run"), "k-fenced-run",
                ChatRun.INTERRUPTED, "error");
    }

    @Test
    void aRunThatLosesItsLaneAtItsReply() throws Exception {
        assertEndRecordedFirst(sendAndEnd("fenced-reply", "hi", "k-fenced-reply"), "k-fenced-reply",
                ChatRun.INTERRUPTED, "error");
    }

    @Test
    void runsWhoseLaneCannotBeTaken() throws Exception {
        assertEndRecordedFirst(sendAndEnd("lane-down", "hi", "k-lane-down"), "k-lane-down", "error", "error");
    }

    @Test
    void aRunAbortedWhileRunningAndOneAbortedWhileQueued() throws Exception {
        ChatRuns.Started running = (ChatRuns.Started) runs.send("aborts", "block", "k-abort-running");
        ChatRuns.Started queued = (ChatRuns.Started) runs.send("aborts", "hi", "k-abort-queued");
        running.start().run();
        assertThat(blockerStarted.await(20, TimeUnit.SECONDS)).isTrue();
        queued.start().run(); // behind the running one in the session's lane
        assertThat(runs.abort("aborts", null)).containsExactlyInAnyOrder(running.run().runId(), queued.run().runId());
        assertThat(abortSeen.await(20, TimeUnit.SECONDS)).isTrue();
        running.run().completion().get(20, TimeUnit.SECONDS);
        queued.run().completion().get(20, TimeUnit.SECONDS);
        assertEndRecordedFirst(running.run(), "k-abort-running", "aborted", "aborted");
        assertEndRecordedFirst(queued.run(), "k-abort-queued", "aborted", "aborted");
    }

    /**
     * The file store, except: a reply in session {@code reply-refused} fails to store; writes fenced by a lane epoch
     * are refused as after another gateway took the lane (in {@code fenced-run} from the first write, in
     * {@code fenced-reply} at the reply).
     */
    private static final class CueStore implements SessionStore {

        private final SessionStore files;
        private final long epoch;

        CueStore(SessionStore files, long epoch) {
            this.files = files;
            this.epoch = epoch;
        }

        @Override
        public Appended append(String agentId, String sessionKey, TranscriptEntry entry) {
            boolean reply = "assistant".equals(entry.payload().path("role").asText())
                    && !"toolUse".equals(entry.payload().path("stopReason").asText());
            if (epoch != RunCoordinator.UNFENCED
                    && (sessionKey.endsWith(":fenced-run") || (sessionKey.endsWith(":fenced-reply") && reply))) {
                throw new StaleLaneException(agentId, sessionKey, epoch);
            }
            if (sessionKey.endsWith(":reply-refused") && reply) {
                throw new SessionStoreException("the disk is full");
            }
            return files.append(agentId, sessionKey, entry);
        }

        @Override
        public SessionStore fencedBy(long laneEpoch) {
            return new CueStore(files, laneEpoch);
        }

        @Override
        public SessionEntry resolve(String agentId, String sessionKey) {
            return files.resolve(agentId, sessionKey);
        }

        @Override
        public List<SessionEntry> list(String agentId) {
            return files.list(agentId);
        }

        @Override
        public Optional<SessionEntry> get(String agentId, String sessionKey) {
            return files.get(agentId, sessionKey);
        }

        @Override
        public List<TranscriptEntry> read(String agentId, String sessionKey, int limit) {
            return files.read(agentId, sessionKey, limit);
        }

        @Override
        public SessionEntry reset(String agentId, String sessionKey) {
            return files.reset(agentId, sessionKey);
        }

        @Override
        public boolean delete(String agentId, String sessionKey) {
            return files.delete(agentId, sessionKey);
        }

        @Override
        public void close() {
        }
    }
}
