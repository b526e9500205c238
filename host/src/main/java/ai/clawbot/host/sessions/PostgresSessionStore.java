package ai.clawbot.host.sessions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A {@link SessionStore} in PostgreSQL (schema {@code db/postgres/V1__sessions.sql}), shared by every gateway on
 * the same database. An append is one transaction that locks the session's row ({@code SELECT ... FOR UPDATE}), so
 * appends to one session are serialised across gateways and each is durable once its commit returns. A reset or
 * delete archives the old session's id; its transcript lines stay, as the file store keeps its archived files.
 */
public final class PostgresSessionStore implements SessionStore {

    private final DataSource db;
    private final Clock clock;
    private volatile boolean closed;
    /** The lane epoch this view's appends require ({@link #fencedBy}); 0: unfenced. */
    private final long laneEpoch;

    private PostgresSessionStore(DataSource db, Clock clock, long laneEpoch) {
        this.db = db;
        this.clock = clock;
        this.laneEpoch = laneEpoch;
    }

    /** A store over {@code db}, whose schema is already migrated. Closing the store does not close {@code db}. */
    public static PostgresSessionStore create(DataSource db) {
        return create(db, Clock.systemUTC());
    }

    public static PostgresSessionStore create(DataSource db, Clock clock) {
        return new PostgresSessionStore(Objects.requireNonNull(db, "db"), Objects.requireNonNull(clock, "clock"), 0);
    }

    @Override
    public SessionEntry resolve(String agentId, String sessionKey) {
        check(agentId, sessionKey);
        return tx(agentId, sessionKey, "create", c -> resolveIn(c, agentId, sessionKey, false));
    }

    @Override
    public List<SessionEntry> list(String agentId) {
        SessionNames.requireAgentId(agentId);
        ensureOpen();
        return tx(agentId, "*", "list", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT session_key, session_id, created_at, updated_at FROM sessions"
                    + " WHERE agent_id = ? ORDER BY updated_at DESC, session_key")) {
                ps.setString(1, agentId);
                List<SessionEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(entry(agentId, rs.getString(1), rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Optional<SessionEntry> get(String agentId, String sessionKey) {
        check(agentId, sessionKey);
        return tx(agentId, sessionKey, "read", c -> Optional.ofNullable(find(c, agentId, sessionKey, false)));
    }

    @Override
    public Appended append(String agentId, String sessionKey, TranscriptEntry entry) {
        Objects.requireNonNull(entry, "entry");
        check(agentId, sessionKey);
        return tx(agentId, sessionKey, "append to", c -> {
            requireLane(c, agentId, sessionKey);
            SessionEntry session = resolveIn(c, agentId, sessionKey, true);
            String last = null;
            long seq = 1;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, entry_id FROM transcript_entries WHERE session_id = ? ORDER BY seq DESC LIMIT 1")) {
                ps.setString(1, session.sessionId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        seq = rs.getLong(1) + 1;
                        last = rs.getString(2);
                    }
                }
            }
            TranscriptEntry written = entry.parentId() != null ? entry : entry.withParentId(last);
            String line = TranscriptFile.encodeLine(written); // the same limits as the file store, refused before writing
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO transcript_entries (session_id, seq, entry_id, line) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, session.sessionId());
                ps.setLong(2, seq);
                ps.setString(3, written.id());
                ps.setString(4, line);
                ps.executeUpdate();
            }
            long now = clock.instant().toEpochMilli();
            try (PreparedStatement ps = c.prepareStatement("UPDATE sessions SET updated_at = GREATEST(updated_at, ?)"
                    + " WHERE agent_id = ? AND session_key = ? RETURNING session_id, created_at, updated_at")) {
                ps.setLong(1, now);
                ps.setString(2, agentId);
                ps.setString(3, sessionKey);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Appended(new SessionEntry(agentId, sessionKey, rs.getString(1),
                            Instant.ofEpochMilli(rs.getLong(2)), Instant.ofEpochMilli(rs.getLong(3)), false), written);
                }
            }
        });
    }

    @Override
    public List<TranscriptEntry> read(String agentId, String sessionKey, int limit) {
        if (limit < 1 || limit > MAX_READ_LIMIT) {
            throw new IllegalArgumentException("read limit " + limit + " is outside 1.." + MAX_READ_LIMIT);
        }
        check(agentId, sessionKey);
        return tx(agentId, sessionKey, "read", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT t.line FROM sessions s JOIN transcript_entries t"
                    + " ON t.session_id = s.session_id WHERE s.agent_id = ? AND s.session_key = ? ORDER BY t.seq DESC LIMIT ?")) {
                ps.setString(1, agentId);
                ps.setString(2, sessionKey);
                ps.setInt(3, limit);
                List<TranscriptEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        TranscriptFile.decode(rs.getString(1)).ifPresent(out::add);
                    }
                }
                Collections.reverse(out);
                return out;
            }
        });
    }

    @Override
    public SessionEntry reset(String agentId, String sessionKey) {
        check(agentId, sessionKey);
        return tx(agentId, sessionKey, "reset", c -> {
            SessionEntry old = find(c, agentId, sessionKey, true);
            if (old == null) {
                return resolveIn(c, agentId, sessionKey, false);
            }
            long now = clock.instant().toEpochMilli();
            archive(c, old, "reset", now);
            String id = UUID.randomUUID().toString();
            try (PreparedStatement ps = c.prepareStatement("UPDATE sessions SET session_id = ?, created_at = ?,"
                    + " updated_at = GREATEST(updated_at, ?) WHERE agent_id = ? AND session_key = ?")) {
                ps.setString(1, id);
                ps.setLong(2, now);
                ps.setLong(3, now);
                ps.setString(4, agentId);
                ps.setString(5, sessionKey);
                ps.executeUpdate();
            }
            return find(c, agentId, sessionKey, false);
        });
    }

    @Override
    public boolean delete(String agentId, String sessionKey) {
        check(agentId, sessionKey);
        return tx(agentId, sessionKey, "delete", c -> {
            SessionEntry old = find(c, agentId, sessionKey, true);
            if (old == null) {
                return false;
            }
            archive(c, old, "deleted", clock.instant().toEpochMilli());
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE agent_id = ? AND session_key = ?")) {
                ps.setString(1, agentId);
                ps.setString(2, sessionKey);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /**
     * A view whose appends hold {@code laneEpoch}: each checks, in its own transaction, that the session's lane epoch
     * is still that one, holding the lane row (FOR SHARE) until commit, so a gateway taking the lane (which increments
     * the epoch) waits for an append in flight and every later append of the old run is refused.
     */
    @Override
    public SessionStore fencedBy(long laneEpoch) {
        if (laneEpoch <= 0) {
            throw new IllegalArgumentException("lane epochs start at 1, not " + laneEpoch);
        }
        return new PostgresSessionStore(db, clock, laneEpoch);
    }

    private void requireLane(Connection c, String agentId, String sessionKey) throws SQLException {
        if (laneEpoch == 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM session_lanes WHERE agent_id = ? AND session_key = ?"
                + " AND lane_epoch = ? FOR SHARE")) {
            ps.setString(1, agentId);
            ps.setString(2, sessionKey);
            ps.setLong(3, laneEpoch);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StaleLaneException(agentId, sessionKey, laneEpoch);
                }
            }
        }
    }

    /** Every write commits before it returns; there is nothing to flush. The pool belongs to the caller. */
    @Override
    public void close() {
        closed = true;
    }

    private SessionEntry resolveIn(Connection c, String agentId, String sessionKey, boolean forUpdate) throws SQLException {
        long now = clock.instant().toEpochMilli();
        // ON CONFLICT: two gateways resolving one new key at once agree on one session id.
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sessions (agent_id, session_key, session_id, created_at,"
                + " updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (agent_id, session_key) DO NOTHING")) {
            ps.setString(1, agentId);
            ps.setString(2, sessionKey);
            ps.setString(3, UUID.randomUUID().toString());
            ps.setLong(4, now);
            ps.setLong(5, now);
            ps.executeUpdate();
        }
        return find(c, agentId, sessionKey, forUpdate);
    }

    private static SessionEntry find(Connection c, String agentId, String sessionKey, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT session_key, session_id, created_at, updated_at FROM sessions"
                + " WHERE agent_id = ? AND session_key = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, agentId);
            ps.setString(2, sessionKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? entry(agentId, sessionKey, rs) : null;
            }
        }
    }

    private static void archive(Connection c, SessionEntry old, String reason, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO archived_sessions (session_id, agent_id, session_key,"
                + " reason, archived_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id) DO NOTHING")) {
            ps.setString(1, old.sessionId());
            ps.setString(2, old.agentId());
            ps.setString(3, old.sessionKey());
            ps.setString(4, reason);
            ps.setLong(5, now);
            ps.executeUpdate();
        }
    }

    private static SessionEntry entry(String agentId, String sessionKey, ResultSet rs) throws SQLException {
        return new SessionEntry(agentId, sessionKey, rs.getString("session_id"), Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")), false);
    }

    private void check(String agentId, String sessionKey) {
        SessionNames.requireAgentId(agentId);
        SessionNames.requireSessionKey(sessionKey);
        ensureOpen();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the session store is closed");
        }
    }

    private interface SqlAction<T> {
        T run(Connection c) throws SQLException;
    }

    /** One transaction; a failure rolls it back whole, so a refused append leaves nothing behind. */
    private <T> T tx(String agentId, String sessionKey, String what, SqlAction<T> action) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = action.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new SessionStoreException("cannot " + what + " session '" + sessionKey + "' of agent " + agentId
                    + " in PostgreSQL: " + e.getMessage(), e);
        }
    }
}
