package ai.clawbot.host.sessions;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The default {@link SessionStore}: files under {@code <stateRoot>/agents/<agentId>/sessions/}, laid out as
 * OpenClaw lays them out: {@code sessions.json} (the index, see {@link SessionIndex}) and one
 * {@code <sessionId>.jsonl} transcript per session (see {@link TranscriptFile}).
 *
 * <p>One process owns a state folder. Within it, each session has one lock, held by every append, read, reset
 * and delete of it, so a transcript has exactly one writer and no lock files are needed. Opening the store
 * recovers what a crash may have left: index rows are rebuilt or marked ({@link IndexRecovery}) and torn
 * transcript tails are cut back to their last complete line.
 */
public final class FileSessionStore implements SessionStore {

    private static final System.Logger LOG = System.getLogger(FileSessionStore.class.getName());

    private record SessionRef(String agentId, String sessionKey) {
    }

    private final Path agentsRoot;
    private final Clock clock;
    private final ConcurrentHashMap<String, AgentSessions> agents = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SessionRef, ReentrantLock> sessionLocks = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private FileSessionStore(Path agentsRoot, Clock clock) {
        this.agentsRoot = agentsRoot;
        this.clock = clock;
    }

    /** Opens the store of {@code stateRoot} (the {@code OPENCLAW_STATE_DIR}), recovering every agent found there. */
    public static FileSessionStore open(Path stateRoot) {
        return open(stateRoot, Clock.systemUTC());
    }

    public static FileSessionStore open(Path stateRoot, Clock clock) {
        FileSessionStore store = new FileSessionStore(stateRoot.resolve("agents"), Objects.requireNonNull(clock, "clock"));
        if (Files.isDirectory(store.agentsRoot)) {
            try (DirectoryStream<Path> folders = Files.newDirectoryStream(store.agentsRoot, Files::isDirectory)) {
                for (Path folder : folders) {
                    String agentId = folder.getFileName().toString();
                    if (SessionNames.isAgentId(agentId)) {
                        store.agents.put(agentId, store.load(agentId));
                    } else {
                        LOG.log(Level.WARNING, "ignoring " + folder + ": not a valid agent id");
                    }
                }
            } catch (IOException e) {
                throw new SessionStoreException("cannot open the sessions under " + store.agentsRoot + ": " + e, e);
            }
        }
        return store;
    }

    /** The folder of {@code agentId}'s sessions. */
    public Path sessionsFolder(String agentId) {
        return agentsRoot.resolve(SessionNames.requireAgentId(agentId)).resolve("sessions");
    }

    @Override
    public SessionEntry resolve(String agentId, String sessionKey) {
        AgentSessions agent = agent(agentId, sessionKey);
        return io(agentId, sessionKey, "create", () -> agent.resolve(sessionKey, clock.instant()));
    }

    @Override
    public List<SessionEntry> list(String agentId) {
        AgentSessions agent = existing(SessionNames.requireAgentId(agentId));
        return agent == null ? List.of() : agent.list();
    }

    @Override
    public Optional<SessionEntry> get(String agentId, String sessionKey) {
        AgentSessions agent = existing(agentId, sessionKey);
        return agent == null ? Optional.empty() : agent.get(sessionKey);
    }

    @Override
    public Appended append(String agentId, String sessionKey, TranscriptEntry entry) {
        Objects.requireNonNull(entry, "entry");
        AgentSessions agent = agent(agentId, sessionKey);
        return withSession(agentId, sessionKey, "append to", () -> {
            SessionEntry session = agent.resolve(sessionKey, clock.instant());
            if (session.missingTranscript()) {
                throw new SessionStoreException("the transcript of session '" + sessionKey + "' (" + session.sessionId()
                        + ") is missing; reset the session to start a new one");
            }
            String id = session.sessionId();
            // Known sound, or repaired now: a torn tail is cut before a line goes after it.
            TranscriptFile.Tail.Sound tail = agent.tail(sessionKey, id);
            TranscriptEntry written = entry.parentId() != null ? entry : entry.withParentId(tail.lastEntryId());
            byte[] line = TranscriptFile.encode(written); // refuses what cannot be written before the file is touched
            try {
                TranscriptFile.append(agent.transcript(id), line);
            } catch (IOException | RuntimeException e) {
                agent.forgetTail(id);
                throw e;
            }
            agent.appended(id, written.id());
            return new Appended(agent.touch(sessionKey, id, clock.instant()), written);
        });
    }

    @Override
    public List<TranscriptEntry> read(String agentId, String sessionKey, int limit) {
        if (limit < 1 || limit > MAX_READ_LIMIT) {
            throw new IllegalArgumentException("read limit " + limit + " is outside 1.." + MAX_READ_LIMIT);
        }
        AgentSessions agent = existing(agentId, sessionKey);
        if (agent == null || agent.get(sessionKey).isEmpty()) {
            return List.of(); // checked without a lock: unknown keys must not grow the lock table
        }
        return withSession(agentId, sessionKey, "read", () -> {
            Optional<SessionEntry> session = agent.get(sessionKey);
            if (session.isEmpty() || session.get().missingTranscript()) {
                return List.of();
            }
            return TranscriptFile.readLast(agent.transcript(session.get().sessionId()), limit);
        });
    }

    @Override
    public SessionEntry reset(String agentId, String sessionKey) {
        AgentSessions agent = agent(agentId, sessionKey);
        return withSession(agentId, sessionKey, "reset", () -> agent.reset(sessionKey, clock.instant()));
    }

    @Override
    public boolean delete(String agentId, String sessionKey) {
        AgentSessions agent = existing(agentId, sessionKey);
        if (agent == null || agent.get(sessionKey).isEmpty()) {
            return false;
        }
        return withSession(agentId, sessionKey, "delete", () -> agent.delete(sessionKey, clock.instant()));
    }

    @Override
    public void close() {
        closed = true;
        SessionStoreException failed = null;
        for (var e : agents.entrySet()) {
            try {
                e.getValue().flush();
            } catch (IOException x) {
                failed = new SessionStoreException("cannot write the session index of agent " + e.getKey() + ": " + x, x);
                LOG.log(Level.WARNING, failed.getMessage());
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private AgentSessions agent(String agentId, String sessionKey) {
        SessionNames.requireAgentId(agentId);
        SessionNames.requireSessionKey(sessionKey);
        return agent(agentId);
    }

    private AgentSessions agent(String agentId) {
        ensureOpen();
        return agents.computeIfAbsent(agentId, this::load);
    }

    private AgentSessions existing(String agentId, String sessionKey) {
        SessionNames.requireAgentId(agentId);
        SessionNames.requireSessionKey(sessionKey);
        return existing(agentId);
    }

    /** For reads: null for an agent without sessions, so that asking about unknown agents caches nothing. */
    private AgentSessions existing(String agentId) {
        ensureOpen();
        AgentSessions known = agents.get(agentId);
        return known != null || !Files.isDirectory(sessionsFolder(agentId)) ? known : agents.computeIfAbsent(agentId, this::load);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the session store is closed");
        }
    }

    private AgentSessions load(String agentId) {
        try {
            return AgentSessions.open(agentId, sessionsFolder(agentId), clock.instant());
        } catch (IOException e) {
            throw new SessionStoreException("cannot open the sessions of agent " + agentId + ": " + e, e);
        }
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    private <T> T withSession(String agentId, String sessionKey, String what, IoAction<T> action) {
        ReentrantLock lock = sessionLocks.computeIfAbsent(new SessionRef(agentId, sessionKey), k -> new ReentrantLock());
        lock.lock();
        try {
            return io(agentId, sessionKey, what, action);
        } finally {
            lock.unlock();
        }
    }

    private static <T> T io(String agentId, String sessionKey, String what, IoAction<T> action) {
        try {
            return action.run();
        } catch (IOException e) {
            throw new SessionStoreException("cannot " + what + " session '" + sessionKey + "' of agent " + agentId + ": " + e, e);
        }
    }
}
