package ai.clawbot.host.agents;

import ai.clawbot.host.sessions.SessionStore;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The runs of each session, one at a time in arrival order (a lane, drained by one virtual thread while it has
 * runs); the lanes of different sessions run side by side. With other gateways on the same store the lane is also
 * held in the cluster, and its runs write fenced by the lane's epoch.
 */
final class SessionLanes {

    private static final int HISTORY_LIMIT = 200;
    private static final System.Logger LOG = System.getLogger(SessionLanes.class.getName());

    private final SessionStore store;
    private final Supplier<AgentEngine> engine;
    private final RunEvents events;
    private final RunCoordinator cluster;
    private final IdempotencyLedger ledger;
    private final Map<String, ChatRun> active;
    private final Map<String, Deque<ChatRun>> lanes = new HashMap<>();

    /**
     * @param active the runs not ended yet; a run leaves it once it ended (or its lane could not be taken)
     */
    SessionLanes(SessionStore store, Supplier<AgentEngine> engine, RunEvents events, RunCoordinator cluster,
                 IdempotencyLedger ledger, Map<String, ChatRun> active) {
        this.store = store;
        this.engine = engine;
        this.events = events;
        this.cluster = cluster;
        this.ledger = ledger;
        this.active = active;
    }

    /** Queues {@code run} in its session's lane, starting the lane's thread when the lane was idle. */
    void enqueue(ChatRun run) {
        boolean startLane;
        synchronized (lanes) {
            Deque<ChatRun> lane = lanes.get(run.sessionKey);
            startLane = lane == null;
            if (startLane) {
                lane = new ArrayDeque<>();
                lanes.put(run.sessionKey, lane);
            }
            lane.add(run);
        }
        if (startLane) {
            Thread.ofVirtual().name("chat-lane").start(() -> drain(run.sessionKey));
        }
    }

    private void drain(String sessionKey) {
        ChatRun first;
        synchronized (lanes) {
            first = lanes.get(sessionKey).peek();
        }
        try {
            // A lane lost to another gateway (fenced) is taken again for the runs still queued here.
            boolean[] lost = {true};
            while (lost[0]) {
                cluster.inLane(first.agent.id(), sessionKey, epoch -> lost[0] = drainHolding(sessionKey, epoch));
            }
        } catch (RuntimeException e) {
            // The cluster lane could not be taken (database down): the queued runs end with an error, not silently.
            LOG.log(System.Logger.Level.ERROR, "cannot take the lane of " + sessionKey + ": " + e.getMessage());
            fail(sessionKey, e);
        }
    }

    /** Runs the queued runs of {@code sessionKey} holding lane epoch {@code epoch}; true when the lane was lost. */
    private boolean drainHolding(String sessionKey, long epoch) {
        SessionStore fenced = epoch == RunCoordinator.UNFENCED ? store : store.fencedBy(epoch);
        while (true) {
            ChatRun next;
            synchronized (lanes) {
                Deque<ChatRun> lane = lanes.get(sessionKey);
                next = lane.poll();
                if (next == null) {
                    lanes.remove(sessionKey);
                    return false;
                }
            }
            // Every way execute() returns records the run's end first (ok, aborted, error, interrupted).
            new RunExecution(next, fenced, engine.get(), events, HISTORY_LIMIT,
                    status -> ledger.ended(next.runId, status)).execute();
            active.remove(next.runId);
            if (ChatRun.INTERRUPTED.equals(next.status)) {
                synchronized (lanes) { // lost the lane: take it again only for runs still queued here
                    if (lanes.get(sessionKey).isEmpty()) {
                        lanes.remove(sessionKey);
                        return false;
                    }
                }
                return true;
            }
        }
    }

    /** Ends every run queued in the lane with an error, as {@link RunExecution} reports a failed run. */
    private void fail(String sessionKey, RuntimeException e) {
        Deque<ChatRun> lane;
        synchronized (lanes) {
            lane = lanes.remove(sessionKey);
        }
        if (lane == null) {
            return;
        }
        // Announced outside the lock: publishing may fan out to other gateways, and every session enqueues under it.
        for (ChatRun r : lane) {
            String why = "the session's lane could not be taken: " + e.getMessage();
            r.status = "error"; // state first, then the announcement: a retry after it sees the end
            ledger.ended(r.runId, "error");
            events.publish("chat", JsonNodeFactory.instance.objectNode().put("runId", r.runId)
                    .put("sessionKey", r.sessionKey).put("seq", 1).put("state", "error")
                    .put("errorMessage", why).put("errorKind", "agent"));
            ObjectNode lifecycle = JsonNodeFactory.instance.objectNode().put("runId", r.runId).put("seq", 2)
                    .put("stream", "lifecycle").put("ts", System.currentTimeMillis())
                    .put("agentId", r.agent.id()).put("sessionKey", r.sessionKey);
            lifecycle.putObject("data").put("phase", "error").put("error", why);
            events.publish("agent", lifecycle);
            r.done.complete(new ChatRun.Result(r.runId, "error", null, "error", e.getMessage()));
            active.remove(r.runId);
        }
    }
}
