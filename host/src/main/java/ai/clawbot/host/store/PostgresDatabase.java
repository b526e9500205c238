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
    private final StoreSettings.Postgres settings;
    private final String password;

    private PostgresDatabase(HikariDataSource pool, StoreSettings.Postgres settings, String password) {
        this.pool = pool;
        this.settings = settings;
        this.password = password;
    }

    /** For connections outside the pool (the event listener's LISTEN connection). */
    String jdbcUrl() {
        return settings.url();
    }

    java.util.Properties connectionProperties() {
        java.util.Properties p = new java.util.Properties();
        if (settings.user() != null) {
            p.setProperty("user", settings.user());
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", "3");
        p.setProperty("tcpKeepAlive", "true");
        return p;
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
        return new PostgresDatabase(pool, settings, password);
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Null when a connection answers a validation query now; else why not (for {@code /readyz}). */
    public String problem() {
        try (Connection c = pool.getConnection()) {
            if (c.isValid(1)) {
                return null;
            }
            pool.evictConnection(c); // a connection that died with the server: the next check gets a new one
            return "the database connection is not valid";
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
