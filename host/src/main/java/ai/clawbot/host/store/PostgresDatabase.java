package ai.clawbot.host.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The PostgreSQL database gateways share: a small connection pool, with the schema migrated to the current
 * version ({@code db/postgres/V*.sql}, applied by Flyway at start, under Flyway's own lock so two gateways
 * starting together do not both migrate).
 */
public final class PostgresDatabase implements AutoCloseable {

    /** Where the versioned migrations live on the class path. */
    public static final String MIGRATIONS = "classpath:db/postgres";

    private final HikariDataSource pool;

    private PostgresDatabase(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * Connects and migrates.
     *
     * @throws StoreException when the database cannot be reached or the schema cannot be migrated
     */
    public static PostgresDatabase connect(StoreSettings.Postgres settings, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setPoolName("clawbot-store");
        // A dead database must show in /readyz within seconds, not after a 30 s pool timeout.
        config.setConnectionTimeout(Duration.ofSeconds(3).toMillis());
        config.setValidationTimeout(Duration.ofSeconds(1).toMillis());
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to " + settings.url() + ": " + rootMessage(e), e);
        }
        try {
            Flyway.configure().dataSource(pool).locations(MIGRATIONS).load().migrate();
        } catch (FlywayException e) {
            pool.close();
            throw new StoreException("cannot migrate the schema of " + settings.url() + ": " + rootMessage(e), e);
        }
        return new PostgresDatabase(pool);
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Null when a connection answers a validation query now; else why not (for {@code /readyz}). */
    public String problem() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(1) ? null : "the database connection is not valid";
        } catch (SQLException e) {
            return "the database is unreachable: " + rootMessage(e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
