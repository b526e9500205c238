package ai.clawbot.host.store;

import ai.clawbot.host.agents.RunCoordinator;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * {@link RunCoordinator} over PostgreSQL. Keys: {@code INSERT ... ON CONFLICT DO NOTHING} on {@code idempotency}, so
 * of two gateways claiming one key at once exactly one wins. Lanes: a session-level advisory lock per session, held
 * on a connection of its own while the gateway runs the session; PostgreSQL releases it when that connection dies
 * (the gateway was killed, or lost its connection while it lives), so another gateway takes the lane. Taking a lane
 * increments the session's {@code lane_epoch} (the fencing token); the holder's appends require it, so a holder whose
 * lock is gone cannot write after the next one took over. Liveness: each gateway holds the advisory lock
 * ({@value #OWNER_CLASS}, owner) on its event listener's connection; a key whose run never ended and whose owner's
 * lock is free belongs to a dead gateway, and is reported {@code interrupted} (once marked, never re-run).
 */
public final class PostgresRuns implements RunCoordinator {

    static final int OWNER_CLASS = 0x636c61; // advisory lock classes: (class, key) pairs
    static final int LANE_CLASS = 0x636c62;
    private static final System.Logger LOG = System.getLogger(PostgresRuns.class.getName());

    private final PostgresDatabase db;
    private final int owner = new SecureRandom().nextInt();

    PostgresRuns(PostgresDatabase db) {
        this.db = db;
    }

    /** This gateway's owner id (its liveness lock is taken by {@link EventFanout}'s connection). */
    int owner() {
        return owner;
    }

    @Override
    public Claim claim(String idempotencyKey, String digest, String runId, String agentId, String sessionKey) {
        try (Connection c = db.dataSource().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency (idem_key, digest, run_id, agent_id,"
                    + " session_key, owner, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idem_key) DO NOTHING")) {
                ps.setString(1, idempotencyKey);
                ps.setString(2, digest);
                ps.setString(3, runId);
                ps.setString(4, agentId);
                ps.setString(5, sessionKey);
                ps.setInt(6, owner);
                ps.setLong(7, System.currentTimeMillis());
                if (ps.executeUpdate() == 1) {
                    return new Won();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, digest, session_key, user_entry_id, status, owner"
                    + " FROM idempotency WHERE idem_key = ?")) {
                ps.setString(1, idempotencyKey);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) { // released between the insert and this read: claim again
                        return claim(idempotencyKey, digest, runId, agentId, sessionKey);
                    }
                    String status = rs.getString(5);
                    if (status == null && rs.getInt(6) != owner && ownerDead(c, rs.getInt(6))) {
                        status = markInterrupted(c, idempotencyKey);
                    }
                    return new Taken(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), status);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot claim an idempotency key in PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public void release(String idempotencyKey, String runId) {
        update("DELETE FROM idempotency WHERE idem_key = ? AND run_id = ?", idempotencyKey, runId);
    }

    @Override
    public void stored(String idempotencyKey, String userEntryId) {
        update("UPDATE idempotency SET user_entry_id = ? WHERE idem_key = ?", userEntryId, idempotencyKey);
    }

    @Override
    public void ended(String idempotencyKey, String status) {
        update("UPDATE idempotency SET status = ? WHERE idem_key = ? AND status IS NULL", status, idempotencyKey);
    }

    @Override
    public void inLane(String agentId, String sessionKey, java.util.function.LongConsumer body) {
        // Its own connection: the lock lives exactly as long as it, and a pool must not hand it to anyone else.
        try (Connection lane = DriverManager.getConnection(db.jdbcUrl(), db.connectionProperties())) {
            try (PreparedStatement ps = lane.prepareStatement("SELECT pg_advisory_lock(?, hashtext(?))")) {
                ps.setInt(1, LANE_CLASS);
                ps.setString(2, agentId + "/" + sessionKey); // agent ids have no "/"; PostgreSQL text no NUL
                ps.execute();
            }
            long epoch;
            // The fencing token: taking the lane moves the session's epoch on, which stales every earlier holder.
            try (PreparedStatement ps = lane.prepareStatement("INSERT INTO session_lanes (agent_id, session_key, lane_epoch)"
                    + " VALUES (?, ?, 1) ON CONFLICT (agent_id, session_key) DO UPDATE SET lane_epoch = session_lanes.lane_epoch + 1"
                    + " RETURNING lane_epoch")) {
                ps.setString(1, agentId);
                ps.setString(2, sessionKey);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    epoch = rs.getLong(1);
                }
            }
            body.accept(epoch);
            // Closing the connection releases the lock.
        } catch (SQLException e) {
            throw new StoreException("cannot take the lane of session '" + sessionKey + "': " + e.getMessage(), e);
        }
    }

    private static boolean ownerDead(Connection c, int owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            ps.setInt(1, OWNER_CLASS);
            ps.setInt(2, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            ps.setInt(1, OWNER_CLASS);
            ps.setInt(2, owner);
            ps.execute();
        }
        return true;
    }

    private static String markInterrupted(Connection c, String idempotencyKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE idempotency SET status = 'interrupted' WHERE idem_key = ?"
                + " AND status IS NULL")) {
            ps.setString(1, idempotencyKey);
            if (ps.executeUpdate() == 1) {
                LOG.log(System.Logger.Level.INFO, "run of idempotency key " + idempotencyKey + " died with its gateway: interrupted");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM idempotency WHERE idem_key = ?")) {
            ps.setString(1, idempotencyKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "interrupted";
            }
        }
    }

    private void update(String sql, String a, String b) {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, a);
            ps.setString(2, b);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "idempotency ledger not updated: " + e.getMessage());
        }
    }
}
