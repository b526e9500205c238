package ai.clawbot.host.store;

import ai.clawbot.host.agents.RunEvents;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Run events across gateways: each published event is a row of {@code events} and a {@code pg_notify}; every
 * gateway LISTENs and delivers the rows other gateways wrote, in id order, to its own clients. The listener keeps
 * the last id it delivered, so after a lost LISTEN connection it reconnects and catches up from there.
 *
 * <p>Publishes take a transaction-level advisory lock, so ids commit in id order and a reader that has seen id n
 * never later finds a smaller id committed; that is what makes "everything after n" a complete catch-up.
 */
public final class EventFanout implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EventFanout.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CHANNEL = "claw_events";
    private static final long PUBLISH_LOCK = 0x636c6177L; // "claw": one key for every gateway on the database
    private static final Duration POLL = Duration.ofSeconds(1);

    private final PostgresDatabase db;
    private final String listenUrl;
    private final java.util.Properties listenProps;
    private final String origin = UUID.randomUUID().toString();
    private final RunEvents local;
    private final int owner;
    private final Thread listener;
    private volatile boolean closed;
    private volatile long lastDelivered;

    private EventFanout(PostgresDatabase db, String url, java.util.Properties props, RunEvents local, int owner) {
        this.db = db;
        this.owner = owner;
        this.listenUrl = url;
        this.listenProps = props;
        props.setProperty("ApplicationName", "claw-events-listen"); // findable in pg_stat_activity
        this.local = local;
        this.listener = Thread.ofPlatform().daemon().name("claw-events-listen").unstarted(this::listen);
    }

    /**
     * Starts listening; events already in the table are history, not delivered. The listener's connection also holds
     * {@code owner}'s liveness lock (see {@link PostgresRuns}): it dies with this process.
     */
    public static EventFanout start(PostgresDatabase db, RunEvents local, int owner) {
        EventFanout fanout = new EventFanout(db, db.jdbcUrl(), db.connectionProperties(), local, owner);
        fanout.lastDelivered = fanout.newestId();
        fanout.listener.start();
        return fanout;
    }

    /** Stores and announces {@code event}; a failure is logged (the local clients already have it). */
    public void publish(String event, ObjectNode payload) {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement lock = c.createStatement()) {
                lock.execute("SELECT pg_advisory_xact_lock(" + PUBLISH_LOCK + ")");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (origin, event, payload, created_at)"
                    + " VALUES (?, ?, ?, ?) RETURNING id")) {
                ps.setString(1, origin);
                ps.setString(2, event);
                ps.setString(3, JSON.writeValueAsString(payload));
                ps.setLong(4, System.currentTimeMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
            }
            try (Statement notify = c.createStatement()) {
                notify.execute("SELECT pg_notify('" + CHANNEL + "', '')");
            }
            c.commit();
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot fan out " + event + " to the other gateways: " + e.getMessage());
        }
    }

    /** The last event id this gateway delivered (tests: catch-up). */
    public long lastDelivered() {
        return lastDelivered;
    }

    private long newestId() {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM events")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("cannot read the events table: " + e.getMessage(), e);
        }
    }

    /** LISTEN on a connection of its own; on any failure, reconnect and catch up from the last delivered id. */
    private void listen() {
        while (!closed) {
            try (Connection c = DriverManager.getConnection(listenUrl, listenProps)) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                    s.execute("SELECT pg_advisory_lock(" + PostgresRuns.OWNER_CLASS + ", " + owner + ")");
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                catchUp(c); // what was published while this connection was down
                while (!closed) {
                    PGNotification[] notes = pg.getNotifications((int) POLL.toMillis());
                    if (notes == null && !c.isValid(1)) {
                        throw new SQLException("the LISTEN connection is not valid");
                    }
                    // A notification, or a quiet second: either way read what is new (cheap when nothing is).
                    catchUp(c);
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "event listener lost its connection (" + e.getMessage()
                            + "); reconnecting and catching up from event " + lastDelivered);
                    try {
                        Thread.sleep(POLL);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    private void catchUp(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, origin, event, payload FROM events WHERE id > ? ORDER BY id LIMIT 1000")) {
            boolean more = true;
            while (more && !closed) {
                ps.setLong(1, lastDelivered);
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        n++;
                        long id = rs.getLong(1);
                        if (!origin.equals(rs.getString(2))) {
                            deliver(rs.getString(3), rs.getString(4));
                        }
                        lastDelivered = id;
                    }
                }
                more = n == 1000;
            }
        }
    }

    private void deliver(String event, String payload) {
        try {
            local.publish(event, (ObjectNode) JSON.readTree(payload));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot deliver a fanned-out " + event + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        listener.interrupt();
    }
}
