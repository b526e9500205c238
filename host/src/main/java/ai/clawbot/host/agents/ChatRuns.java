package ai.clawbot.host.agents;

import ai.clawbot.host.sessions.Appended;
import ai.clawbot.host.sessions.SessionStore;
import ai.clawbot.host.sessions.SessionStoreException;
import ai.clawbot.host.sessions.TranscriptEntry;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Accepts chat messages and runs agents on them. A message is acknowledged only after it is durable in the
 * session transcript (the store fsyncs before {@code append} returns). Runs of one session execute one at a
 * time in arrival order (a session lane); runs of different sessions run in parallel on virtual threads.
 * {@code idempotencyKey} de-duplicates sends: a repeat gets the first run's id and its status instead of a
 * second message. The lanes are {@link SessionLanes}, the keys {@link IdempotencyLedger}; a run itself is a
 * {@link RunExecution}.
 */
public final class ChatRuns implements AutoCloseable {

    public static final int MAX_MESSAGE_CHARS = 256 * 1024;
    private static final System.Logger LOG = System.getLogger(ChatRuns.class.getName());

    private final SessionStore store;
    private final Supplier<AgentRegistry> agents;
    private final IdempotencyLedger ledger;
    private final SessionLanes lanes;
    private final Map<String, ChatRun> active = new ConcurrentHashMap<>();
    private volatile boolean draining;

    /** What a send produced: a new run, or the run an earlier send with the same key started. */
    public sealed interface Sent permits Started, Repeated {
        ChatRun run();
    }

    /** A new run; call {@link #start()} once the acknowledgement is out, so its events follow it. */
    public record Started(ChatRun run, Runnable start) implements Sent {
    }

    public record Repeated(ChatRun run) implements Sent {
    }

    public ChatRuns(SessionStore store, Supplier<AgentRegistry> agents, Supplier<AgentEngine> engine, RunEvents events) {
        this(store, agents, engine, events, RunCoordinator.LOCAL);
    }

    /** With other gateways on the same store: keys and lanes are agreed through {@code cluster}. */
    public ChatRuns(SessionStore store, Supplier<AgentRegistry> agents, Supplier<AgentEngine> engine, RunEvents events,
                    RunCoordinator cluster) {
        this.store = store;
        this.agents = agents;
        this.ledger = new IdempotencyLedger(store, cluster);
        this.lanes = new SessionLanes(store, engine, events, cluster, ledger, active);
    }

    /**
     * Stores {@code message} in the session {@code rawSessionKey} names and queues a run.
     *
     * @throws ChatException when nothing was stored (bad input, unknown agent, storage failure, draining)
     */
    public Sent send(String rawSessionKey, String message, String idempotencyKey) throws ChatException {
        if (draining) {
            throw new ChatException(ChatException.Kind.UNAVAILABLE, "SHUTTING_DOWN", "the gateway is shutting down");
        }
        if (message == null || message.isBlank()) {
            throw new ChatException(ChatException.Kind.INVALID, "INVALID_PARAMS", "message is empty");
        }
        if (message.length() > MAX_MESSAGE_CHARS) {
            throw new ChatException(ChatException.Kind.INVALID, "MESSAGE_TOO_LONG",
                    "message has " + message.length() + " characters; the limit is " + MAX_MESSAGE_CHARS);
        }
        AgentRegistry registry = agents.get();
        SessionKeys.Resolved key;
        try {
            key = SessionKeys.resolve(rawSessionKey, registry.defaultAgent().id());
        } catch (IllegalArgumentException e) {
            throw new ChatException(ChatException.Kind.INVALID, "INVALID_SESSION_KEY", e.getMessage());
        }
        AgentDefinition agent = registry.find(key.agentId()).orElseThrow(() -> new ChatException(
                ChatException.Kind.NOT_FOUND, "UNKNOWN_AGENT", "no agent '" + key.agentId() + "' (agents: "
                + String.join(", ", registry.all().stream().map(AgentDefinition::id).toList()) + ")"));
        String runId = UUID.randomUUID().toString();
        IdempotencyLedger.Claimed claim = null;
        if (idempotencyKey != null) {
            switch (ledger.claim(idempotencyKey, agent, key.sessionKey(), message, runId)) {
                case IdempotencyLedger.Seen seen -> {
                    return new Repeated(seen.run());
                }
                case IdempotencyLedger.Claimed mine -> claim = mine;
            }
        }
        TranscriptEntry user = userMessage(message, runId, idempotencyKey);
        Appended stored;
        try {
            stored = store.append(agent.id(), key.sessionKey(), user);
        } catch (SessionStoreException | IllegalArgumentException e) {
            if (claim != null) {
                ledger.storeFailed(claim);
            }
            LOG.log(System.Logger.Level.ERROR, "could not store a message for " + key.sessionKey(), e);
            throw new ChatException(ChatException.Kind.UNAVAILABLE, "STORAGE_FAILED",
                    "the message could not be stored, so it was not accepted: " + e.getMessage());
        }
        ChatRun run = new ChatRun(runId, agent, key.sessionKey(), message, stored.entry().id());
        if (claim != null) {
            ledger.stored(claim, run);
        }
        active.put(runId, run);
        return new Started(run, () -> lanes.enqueue(run));
    }

    private static TranscriptEntry userMessage(String message, String runId, String idempotencyKey) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("role", "user");
        payload.putArray("content").addObject().put("type", "text").put("text", message);
        payload.put("runId", runId);
        if (idempotencyKey != null) {
            payload.put("idempotencyKey", idempotencyKey);
        }
        return TranscriptEntry.of("message", payload);
    }

    /**
     * Aborts the runs of a session (only {@code runId} when given); queued runs end without running.
     *
     * @return the ids of the runs that were asked to stop
     */
    public List<String> abort(String rawSessionKey, String runId) throws ChatException {
        SessionKeys.Resolved key;
        try {
            key = SessionKeys.resolve(rawSessionKey, agents.get().defaultAgent().id());
        } catch (IllegalArgumentException e) {
            throw new ChatException(ChatException.Kind.INVALID, "INVALID_SESSION_KEY", e.getMessage());
        }
        List<String> stopped = new ArrayList<>();
        for (ChatRun r : active.values()) {
            if (r.sessionKey.equals(key.sessionKey()) && (runId == null || r.runId.equals(runId)) && !r.aborted) {
                r.aborted = true;
                stopped.add(r.runId);
            }
        }
        return stopped;
    }

    /** Aborts every run of a session and waits briefly for them to end (before a reset or delete). */
    public void abortAndWait(String rawSessionKey, Duration wait) throws ChatException {
        abort(rawSessionKey, null);
        long deadline = System.nanoTime() + wait.toNanos();
        SessionKeys.Resolved key = SessionKeys.resolve(rawSessionKey, agents.get().defaultAgent().id());
        while (System.nanoTime() < deadline
                && active.values().stream().anyMatch(r -> r.sessionKey.equals(key.sessionKey()))) {
            sleep(10);
        }
    }

    public int activeRuns() {
        return active.size();
    }

    /** Stops accepting messages, lets runs finish for up to {@code grace}, then aborts what is left. */
    public void drain(Duration grace) {
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (!active.isEmpty() && System.nanoTime() < deadline) {
            sleep(20);
        }
        active.values().forEach(r -> r.aborted = true);
        long hard = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (!active.isEmpty() && System.nanoTime() < hard) {
            sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        drain(Duration.ZERO);
    }
}
