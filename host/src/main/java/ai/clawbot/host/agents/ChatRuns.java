package ai.clawbot.host.agents;

import ai.clawbot.host.sessions.Appended;
import ai.clawbot.host.sessions.SessionStore;
import ai.clawbot.host.sessions.SessionStoreException;
import ai.clawbot.host.sessions.TranscriptEntry;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * second message.
 */
public final class ChatRuns implements AutoCloseable {

    public static final int MAX_MESSAGE_CHARS = 256 * 1024;
    private static final int MAX_REMEMBERED_KEYS = 10_000;
    private static final int HISTORY_LIMIT = 200;
    private static final System.Logger LOG = System.getLogger(ChatRuns.class.getName());

    private final SessionStore store;
    private final Supplier<AgentRegistry> agents;
    private final Supplier<AgentEngine> engine;
    private final RunEvents events;
    private final RunCoordinator cluster;
    private final Map<String, String> keyOfRun = new ConcurrentHashMap<>();
    private final Map<String, Deque<ChatRun>> lanes = new HashMap<>();
    private final Map<String, ChatRun> active = new ConcurrentHashMap<>();
    private final LinkedHashMap<String, Claim> byKey = new LinkedHashMap<>();
    private final java.util.Set<String> seeded = new java.util.HashSet<>();
    private volatile boolean draining;

    /** A send that holds an idempotency key: the run, once its message is stored. */
    private static final class Claim {
        final String digest;
        ChatRun run;

        Claim(String digest) {
            this.digest = digest;
        }
    }

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
        this.engine = engine;
        this.events = events;
        this.cluster = cluster;
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
        String digest = agent.id() + "\u0000" + key.sessionKey() + "\u0000" + message;
        Claim claim = null;
        if (idempotencyKey != null) {
            seed(agent, key.sessionKey());
            synchronized (byKey) {
                Claim seen = byKey.get(idempotencyKey);
                if (seen != null) {
                    if (!seen.digest.equals(digest)) {
                        throw new ChatException(ChatException.Kind.INVALID, "IDEMPOTENCY_KEY_REUSED",
                                "idempotencyKey was already used for a different message");
                    }
                    if (seen.run == null) {
                        // The first send is still storing its message; report it as in flight without a run id.
                        return new Repeated(null);
                    }
                    return new Repeated(seen.run);
                }
                claim = new Claim(digest);
                byKey.put(idempotencyKey, claim);
                while (byKey.size() > MAX_REMEMBERED_KEYS) {
                    byKey.remove(byKey.keySet().iterator().next());
                }
            }
        }
        String runId = UUID.randomUUID().toString();
        if (claim != null) {
            // Across gateways: one run per key, whichever gateway the sends reached.
            RunCoordinator.Claim shared;
            try {
                shared = cluster.claim(idempotencyKey, sha256(digest), runId, agent.id(), key.sessionKey());
            } catch (RuntimeException e) {
                forget(idempotencyKey, claim);
                throw new ChatException(ChatException.Kind.UNAVAILABLE, "STORAGE_FAILED",
                        "the message could not be stored, so it was not accepted: " + e.getMessage());
            }
            if (shared instanceof RunCoordinator.Taken taken) {
                forget(idempotencyKey, claim);
                if (!taken.digest().equals(sha256(digest))) {
                    throw new ChatException(ChatException.Kind.INVALID, "IDEMPOTENCY_KEY_REUSED",
                            "idempotencyKey was already used for a different message");
                }
                ChatRun elsewhere = new ChatRun(taken.runId(), agent, taken.sessionKey(), message, taken.userEntryId());
                elsewhere.status = taken.status() == null ? "running" : taken.status();
                return new Repeated(elsewhere);
            }
        }
        TranscriptEntry user = userMessage(message, runId, idempotencyKey);
        Appended stored;
        try {
            stored = store.append(agent.id(), key.sessionKey(), user);
        } catch (SessionStoreException | IllegalArgumentException e) {
            if (claim != null) {
                cluster.release(idempotencyKey, runId);
            }
            forget(idempotencyKey, claim);
            LOG.log(System.Logger.Level.ERROR, "could not store a message for " + key.sessionKey(), e);
            throw new ChatException(ChatException.Kind.UNAVAILABLE, "STORAGE_FAILED",
                    "the message could not be stored, so it was not accepted: " + e.getMessage());
        }
        ChatRun run = new ChatRun(runId, agent, key.sessionKey(), message, stored.entry().id());
        if (claim != null) {
            synchronized (byKey) {
                claim.run = run;
            }
            keyOfRun.put(runId, idempotencyKey);
            cluster.stored(idempotencyKey, stored.entry().id());
        }
        active.put(runId, run);
        return new Started(run, () -> enqueue(run));
    }

    /**
     * Once per session and process: remembers the idempotency keys already in the transcript, so that a client
     * retrying after a gateway crash or restart gets the stored message back instead of storing it twice. A message
     * whose run never ended (the process died) is reported as {@code interrupted}; it is not re-run, because its
     * tools may already have acted.
     */
    private void seed(AgentDefinition agent, String sessionKey) {
        synchronized (seeded) {
            if (!seeded.add(agent.id() + "\u0000" + sessionKey)) {
                return;
            }
            List<TranscriptEntry> recent;
            try {
                recent = store.read(agent.id(), sessionKey, SessionStore.MAX_READ_LIMIT);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not read " + sessionKey + " to de-duplicate retries", e);
                return;
            }
            Map<String, String> ended = new HashMap<>();
            for (TranscriptEntry e : recent) {
                String runId = e.payload().path("runId").asText(null);
                if ("assistant".equals(e.role()) && runId != null && !"toolUse".equals(e.payload().path("stopReason").asText())) {
                    String stop = e.payload().path("stopReason").asText("stop");
                    ended.put(runId, stop.equals("aborted") || stop.equals("error") ? stop : "ok");
                }
            }
            synchronized (byKey) {
                for (TranscriptEntry e : recent) {
                    String k = e.payload().path("idempotencyKey").asText(null);
                    String runId = e.payload().path("runId").asText(null);
                    if (!"user".equals(e.role()) || k == null || runId == null || byKey.containsKey(k)) {
                        continue;
                    }
                    String text = e.payload().path("content").path(0).path("text").asText("");
                    ChatRun past = new ChatRun(runId, agent, sessionKey, text, e.id());
                    past.status = ended.getOrDefault(runId, "interrupted");
                    past.done.complete(new ChatRun.Result(runId, past.status, null, past.status, null));
                    Claim c = new Claim(agent.id() + "\u0000" + sessionKey + "\u0000" + text);
                    c.run = past;
                    byKey.put(k, c);
                }
            }
        }
    }

    private void forget(String idempotencyKey, Claim claim) {
        if (claim != null) {
            synchronized (byKey) {
                byKey.remove(idempotencyKey, claim);
            }
        }
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

    private void enqueue(ChatRun run) {
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
            Thread.ofVirtual().name("chat-lane").start(() -> drainLane(run.sessionKey));
        }
    }

    private void drainLane(String sessionKey) {
        ChatRun first;
        synchronized (lanes) {
            first = lanes.get(sessionKey).peek();
        }
        try {
            // A lane lost to another gateway (fenced) is taken again for the runs still queued here.
            boolean[] lost = {true};
            while (lost[0]) {
                cluster.inLane(first.agent.id(), sessionKey, epoch -> lost[0] = drainLocalLane(sessionKey, epoch));
            }
        } catch (RuntimeException e) {
            // The cluster lane could not be taken (database down): the queued runs end with an error, not silently.
            LOG.log(System.Logger.Level.ERROR, "cannot take the lane of " + sessionKey + ": " + e.getMessage());
            failLane(sessionKey, e);
        }
    }

    private void failLane(String sessionKey, RuntimeException e) {
        synchronized (lanes) {
            Deque<ChatRun> lane = lanes.remove(sessionKey);
            if (lane != null) {
                for (ChatRun r : lane) {
                    // What RunExecution reports for a failed run, so clients waiting on the run see it end.
                    String why = "the session's lane could not be taken: " + e.getMessage();
                    events.publish("chat", JsonNodeFactory.instance.objectNode().put("runId", r.runId)
                            .put("sessionKey", r.sessionKey).put("seq", 1).put("state", "error")
                            .put("errorMessage", why).put("errorKind", "agent"));
                    ObjectNode lifecycle = JsonNodeFactory.instance.objectNode().put("runId", r.runId).put("seq", 2)
                            .put("stream", "lifecycle").put("ts", System.currentTimeMillis())
                            .put("agentId", r.agent.id()).put("sessionKey", r.sessionKey);
                    lifecycle.putObject("data").put("phase", "error").put("error", why);
                    events.publish("agent", lifecycle);
                    r.status = "error";
                    r.done.complete(new ChatRun.Result(r.runId, "error", null, "error", e.getMessage()));
                    active.remove(r.runId);
                    String k = keyOfRun.remove(r.runId);
                    if (k != null) {
                        cluster.ended(k, "error");
                    }
                }
            }
        }
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the queued runs of {@code sessionKey} holding lane epoch {@code epoch}; true when the lane was lost. */
    private boolean drainLocalLane(String sessionKey, long epoch) {
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
            ChatRun current = next;
            new RunExecution(next, fenced, engine.get(), events, HISTORY_LIMIT, status -> {
                String k = keyOfRun.remove(current.runId);
                if (k != null) {
                    cluster.ended(k, status);
                }
            }).execute();
            active.remove(next.runId);
            String k = keyOfRun.remove(next.runId); // a run that ended without a terminal event (none today)
            if (k != null) {
                cluster.ended(k, next.status);
            }
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
