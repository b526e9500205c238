package ai.clawbot.host.sessions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One agent's {@code sessions/} folder: its index rows in memory, written through to {@code sessions.json} on
 * every change of which session a key points to, and the tails of the transcripts known to be sound.
 *
 * <p>Index changes hold this agent's lock. Callers that write a transcript hold the store's per-session lock
 * first, so the order is always session, then agent. A {@link ReentrantLock} rather than {@code synchronized}:
 * the lock is held across file I/O, which would pin a virtual thread's carrier on Java 21.
 */
final class AgentSessions {

    private static final System.Logger LOG = System.getLogger(AgentSessions.class.getName());

    private final String agentId;
    private final Path dir;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, ObjectNode> rows;
    private boolean dirty; // last-update times changed in memory only
    // By session id; present only once the transcript's end is known to be a complete line.
    private final Map<String, TranscriptFile.Tail.Sound> tails = new ConcurrentHashMap<>();

    private AgentSessions(String agentId, Path dir, LinkedHashMap<String, ObjectNode> rows) {
        this.agentId = agentId;
        this.dir = dir;
        this.rows = rows;
    }

    /** Opens the folder: recovers the index, and repairs the tail of every live transcript. */
    static AgentSessions open(String agentId, Path dir, Instant now) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new AgentSessions(agentId, dir, new LinkedHashMap<>()); // created on the first resolve
        }
        deleteStaleTemps(dir);
        IndexRecovery.Recovered recovered = IndexRecovery.recover(dir, agentId, now);
        AgentSessions sessions = new AgentSessions(agentId, dir, recovered.rows());
        if (recovered.changed()) {
            SessionIndex.write(sessions.indexFile(), recovered.rows());
        }
        for (ObjectNode row : recovered.rows().values()) {
            if (!SessionIndex.missingTranscript(row)) {
                String id = SessionIndex.sessionId(row);
                switch (TranscriptFile.repair(sessions.transcript(id))) {
                    case TranscriptFile.Tail.Sound sound -> sessions.tails.put(id, sound);
                    case TranscriptFile.Tail.Damaged damaged -> LOG.log(Level.WARNING, "transcript "
                            + sessions.transcript(id) + " takes no appends: " + damaged.why() + "; reset its session");
                }
            }
        }
        return sessions;
    }

    Path indexFile() {
        return dir.resolve(SessionIndex.FILE_NAME);
    }

    Path transcript(String sessionId) {
        return dir.resolve(TranscriptFile.fileName(sessionId));
    }

    Optional<SessionEntry> get(String key) {
        return locked(() -> Optional.ofNullable(rows.get(key)).map(row -> entry(key, row)));
    }

    /** Most recently updated first, then by key. */
    List<SessionEntry> list() {
        List<SessionEntry> all = locked(() -> {
            List<SessionEntry> out = new ArrayList<>(rows.size());
            rows.forEach((key, row) -> out.add(entry(key, row)));
            return out;
        });
        all.sort(Comparator.comparing(SessionEntry::updatedAt).reversed().thenComparing(SessionEntry::sessionKey));
        return all;
    }

    SessionEntry resolve(String key, Instant now) throws IOException {
        return lockedIo(() -> {
            ObjectNode row = rows.get(key);
            if (row != null) {
                return entry(key, row);
            }
            String id = startTranscript(key, now);
            ObjectNode fresh = SessionIndex.newRow(id, now, now);
            rows.put(key, fresh);
            writeIndexOrUndo(key, null, id);
            return entry(key, fresh);
        });
    }

    /**
     * Points {@code key} at a new, empty transcript, then archives the old one. In that order, a crash leaves
     * either the old session current or the new one, and a leftover old transcript is archived on the next open.
     * Row fields this class does not know (settings a later layer keeps there) carry over.
     */
    SessionEntry reset(String key, Instant now) throws IOException {
        return lockedIo(() -> {
            ObjectNode old = rows.get(key);
            String id = startTranscript(key, now);
            ObjectNode fresh = old == null ? SessionIndex.newRow(id, now, now) : old.deepCopy();
            fresh.put("sessionId", id).put("createdAt", now.toEpochMilli());
            SessionIndex.setUpdatedAt(fresh, now);
            SessionIndex.setMissingTranscript(fresh, false);
            rows.put(key, fresh);
            writeIndexOrUndo(key, old, id);
            if (old != null) {
                archive(key, SessionIndex.sessionId(old), "reset", now);
            }
            return entry(key, fresh);
        });
    }

    /** Removes the row first, then archives the transcript: a crash in between brings the session back, not loses it. */
    boolean delete(String key, Instant now) throws IOException {
        return lockedIo(() -> {
            ObjectNode old = rows.remove(key);
            if (old == null) {
                return false;
            }
            writeIndexOrUndo(key, old, null);
            archive(key, SessionIndex.sessionId(old), "deleted", now);
            return true;
        });
    }

    /** The session after an append to {@code sessionId}: last-update time moved, in memory only (see IndexRecovery). */
    SessionEntry touch(String key, String sessionId, Instant at) {
        return locked(() -> {
            ObjectNode row = rows.get(key);
            if (row == null || !SessionIndex.sessionId(row).equals(sessionId)) {
                throw new IllegalStateException("session '" + key + "' changed during an append"); // the session lock prevents it
            }
            if (at.isAfter(SessionIndex.updatedAt(row))) {
                SessionIndex.setUpdatedAt(row, at);
                dirty = true;
            }
            return entry(key, row);
        });
    }

    /** The sound tail of {@code sessionId}'s transcript, repairing it first if it is not known to be sound. */
    TranscriptFile.Tail.Sound tail(String key, String sessionId) throws IOException {
        TranscriptFile.Tail.Sound known = tails.get(sessionId);
        if (known != null) {
            return known;
        }
        Path file = transcript(sessionId);
        TranscriptFile.Tail tail;
        try {
            tail = TranscriptFile.repair(file);
        } catch (NoSuchFileException e) {
            throw new SessionStoreException("the transcript " + file + " of session '" + key
                    + "' disappeared; reset the session to start a new one", e);
        }
        return switch (tail) {
            case TranscriptFile.Tail.Sound sound -> {
                tails.put(sessionId, sound);
                yield sound;
            }
            case TranscriptFile.Tail.Damaged damaged -> throw new SessionStoreException("the transcript " + file
                    + " of session '" + key + "' takes no appends: " + damaged.why() + "; reset the session to start a new one");
        };
    }

    void appended(String sessionId, String entryId) {
        tails.put(sessionId, new TranscriptFile.Tail.Sound(entryId));
    }

    /** After a failed append the file may end in a partial line: the next append repairs first. */
    void forgetTail(String sessionId) {
        tails.remove(sessionId);
    }

    void flush() throws IOException {
        lockedIo(() -> {
            if (dirty) {
                SessionIndex.write(indexFile(), rows);
                dirty = false;
            }
            return null;
        });
    }

    private String startTranscript(String key, Instant now) throws IOException {
        Durable.createFolders(dir);
        String id = UUID.randomUUID().toString();
        TranscriptFile.create(transcript(id), new TranscriptFile.Header(id, agentId, key, now));
        tails.put(id, new TranscriptFile.Tail.Sound(null));
        return id;
    }

    /** Writes the index; if that fails, puts {@code previous} back and removes the unreferenced new transcript. */
    private void writeIndexOrUndo(String key, ObjectNode previous, String newSessionId) throws IOException {
        try {
            SessionIndex.write(indexFile(), rows);
            dirty = false;
        } catch (IOException | RuntimeException e) {
            if (previous == null) {
                rows.remove(key);
            } else {
                rows.put(key, previous);
            }
            if (newSessionId != null) {
                tails.remove(newSessionId);
                Files.deleteIfExists(transcript(newSessionId)); // empty, and never acknowledged to anyone
            }
            throw e;
        }
    }

    private void archive(String key, String sessionId, String reason, Instant now) {
        tails.remove(sessionId);
        Path file = transcript(sessionId);
        if (!SessionNames.isSessionId(sessionId) || !Files.exists(file)) {
            return; // a missing transcript: nothing to keep
        }
        try {
            Durable.archive(file, reason, now);
        } catch (IOException e) {
            // The index no longer points at it; the next open finds it and indexes or archives it then.
            LOG.log(Level.WARNING, "could not archive " + file + " of session '" + key + "' (" + reason + "): " + e);
        }
    }

    private SessionEntry entry(String key, ObjectNode row) {
        return SessionIndex.entry(agentId, key, row);
    }

    /** Temp files of writes that a crash interrupted; the write never happened, so they hold nothing of value. */
    private static void deleteStaleTemps(Path dir) throws IOException {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    private <T> T lockedIo(IoAction<T> action) throws IOException {
        lock.lock();
        try {
            return action.run();
        } finally {
            lock.unlock();
        }
    }

    private <T> T locked(java.util.function.Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
