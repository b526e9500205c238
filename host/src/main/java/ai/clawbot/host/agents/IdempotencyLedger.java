package ai.clawbot.host.agents;

import ai.clawbot.host.sessions.SessionStore;
import ai.clawbot.host.sessions.TranscriptEntry;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code idempotencyKey}s of chat sends: which run each key started (the last {@value #MAX_REMEMBERED_KEYS} keys
 * in memory, seeded from the transcript after a restart; one run per key across gateways through the
 * {@link RunCoordinator}), and how each keyed run ended, told to the cluster.
 */
final class IdempotencyLedger {

    private static final int MAX_REMEMBERED_KEYS = 10_000;
    private static final System.Logger LOG = System.getLogger(IdempotencyLedger.class.getName());

    private final SessionStore store;
    private final RunCoordinator cluster;
    private final LinkedHashMap<String, Entry> byKey = new LinkedHashMap<>();
    private final Set<String> seeded = new java.util.HashSet<>();
    private final Map<String, String> keyOfRun = new ConcurrentHashMap<>();

    /** A key's send: its message digest, and its run once the message is stored. */
    private static final class Entry {
        final String digest;
        ChatRun run;

        Entry(String digest) {
            this.digest = digest;
        }
    }

    /** What claiming a key gave. */
    sealed interface Outcome permits Claimed, Seen {
    }

    /** This send owns the key: store its message, then tell {@link #stored} or {@link #storeFailed}. */
    record Claimed(String key, String runId, Entry entry) implements Outcome {
    }

    /** An earlier send owns the key: its run (null while its message is still being stored). */
    record Seen(ChatRun run) implements Outcome {
    }

    IdempotencyLedger(SessionStore store, RunCoordinator cluster) {
        this.store = store;
        this.cluster = cluster;
    }

    /**
     * Claims {@code key} for the send of {@code message} as run {@code runId}, here and then across gateways.
     *
     * @throws ChatException when the key was used for another message, or the cluster could not be asked
     */
    Outcome claim(String key, AgentDefinition agent, String sessionKey, String message, String runId) throws ChatException {
        String digest = agent.id() + "\u0000" + sessionKey + "\u0000" + message;
        seed(agent, sessionKey);
        Entry entry;
        synchronized (byKey) {
            Entry seen = byKey.get(key);
            if (seen != null) {
                if (!seen.digest.equals(digest)) {
                    throw reused();
                }
                // A null run: the first send is still storing its message; reported as in flight without a run id.
                return new Seen(seen.run);
            }
            entry = new Entry(digest);
            byKey.put(key, entry);
            while (byKey.size() > MAX_REMEMBERED_KEYS) {
                byKey.remove(byKey.keySet().iterator().next());
            }
        }
        // Across gateways: one run per key, whichever gateway the sends reached.
        String digestSha = sha256(digest);
        RunCoordinator.Claim shared;
        try {
            shared = cluster.claim(key, digestSha, runId, agent.id(), sessionKey);
        } catch (RuntimeException e) {
            forget(key, entry);
            throw new ChatException(ChatException.Kind.UNAVAILABLE, "STORAGE_FAILED",
                    "the message could not be stored, so it was not accepted: " + e.getMessage());
        }
        if (shared instanceof RunCoordinator.Taken taken) {
            forget(key, entry);
            if (!taken.digest().equals(digestSha)) {
                throw reused();
            }
            ChatRun elsewhere = new ChatRun(taken.runId(), agent, taken.sessionKey(), message, taken.userEntryId());
            elsewhere.status = taken.status() == null ? "running" : taken.status();
            return new Seen(elsewhere);
        }
        return new Claimed(key, runId, entry);
    }

    /** The claimed send's message is stored as {@code run}. */
    void stored(Claimed claim, ChatRun run) {
        synchronized (byKey) {
            claim.entry().run = run;
        }
        keyOfRun.put(run.runId, claim.key());
        cluster.stored(claim.key(), run.userEntryId);
    }

    /** The claimed send's message could not be stored: the key is free again, here and in the cluster. */
    void storeFailed(Claimed claim) {
        cluster.release(claim.key(), claim.runId());
        forget(claim.key(), claim.entry());
    }

    /** Run {@code runId} ended with {@code status}: the cluster is told, once, if the run had a key. */
    void ended(String runId, String status) {
        String key = keyOfRun.remove(runId);
        if (key != null) {
            cluster.ended(key, status);
        }
    }

    private static ChatException reused() {
        return new ChatException(ChatException.Kind.INVALID, "IDEMPOTENCY_KEY_REUSED",
                "idempotencyKey was already used for a different message");
    }

    private void forget(String key, Entry entry) {
        synchronized (byKey) {
            byKey.remove(key, entry);
        }
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
                    Entry c = new Entry(agent.id() + "\u0000" + sessionKey + "\u0000" + text);
                    c.run = past;
                    byKey.put(k, c);
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
}
