package ai.clawbot.host.sessions;

import java.util.List;
import java.util.Optional;

/**
 * The sessions of every agent: per agent, an index from session key ({@code agent:main:main}) to the current
 * session, and per session an append-only transcript of {@link TranscriptEntry entries}.
 *
 * <p>Durability is the contract: {@link #append} returns only once the entry is on disk, so a caller that
 * acknowledges after it returns never acknowledges something a crash can take back. The index never loses a
 * row silently: a session whose transcript vanished stays listed, {@linkplain SessionEntry#missingTranscript()
 * marked}.
 *
 * <p>Agent ids must match {@code [a-z0-9][a-z0-9_-]{0,63}}; session keys are 1 to 200 characters without
 * control characters. Anything else is refused with an {@link IllegalArgumentException} naming the problem.
 * Storage failures are {@link SessionStoreException}s. All methods are safe to call from many threads.
 */
public interface SessionStore extends AutoCloseable {

    /** The largest {@code limit} {@link #read} accepts; history beyond it is paged by other means. */
    int MAX_READ_LIMIT = 1000;

    /** The current session of {@code sessionKey}, created (new session id, empty transcript) on first use. */
    SessionEntry resolve(String agentId, String sessionKey);

    /** The sessions of {@code agentId}, most recently updated first; empty for an agent never seen. */
    List<SessionEntry> list(String agentId);

    /** The current session of {@code sessionKey}, without creating one. */
    Optional<SessionEntry> get(String agentId, String sessionKey);

    /**
     * Appends {@code entry} to the current session of {@code sessionKey} (created if needed) and returns once
     * it is durable (fsync). An entry without a parent id is chained to the previous entry.
     *
     * @throws SessionStoreException when it could not be stored; the entry must then not be acknowledged
     */
    Appended append(String agentId, String sessionKey, TranscriptEntry entry);

    /**
     * The last {@code limit} entries (1 to {@link #MAX_READ_LIMIT}) of the current session, oldest first;
     * empty when there is no such session. Unreadable lines (a torn tail) are skipped, never fatal.
     */
    List<TranscriptEntry> read(String agentId, String sessionKey, int limit);

    /**
     * Starts a new session (new session id, empty transcript) for {@code sessionKey}; the old transcript is kept
     * as {@code <sessionId>.jsonl.reset.<timestamp>}.
     */
    SessionEntry reset(String agentId, String sessionKey);

    /**
     * Removes {@code sessionKey} from the index; its transcript is kept as {@code <sessionId>.jsonl.deleted.<timestamp>}.
     *
     * @return false when there was no such session
     */
    boolean delete(String agentId, String sessionKey);

    /**
     * This store as the run holding lane epoch {@code laneEpoch} of a session writes it: with a store several gateways
     * share, each {@link #append} is conditional on that epoch still being the session's current one, and is refused
     * with a {@link StaleLaneException} once another gateway took the lane. A store of one process has no epochs.
     */
    default SessionStore fencedBy(long laneEpoch) {
        return this;
    }

    /** Flushes what is only in memory (last-update times); later calls fail. */
    @Override
    void close();
}
