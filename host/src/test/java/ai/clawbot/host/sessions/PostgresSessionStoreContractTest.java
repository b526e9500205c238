package ai.clawbot.host.sessions;

import ai.clawbot.host.store.PostgresDatabase;
import ai.clawbot.host.store.StoreSettings;
import ai.clawbot.host.testkit.TestPostgres;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/** The PostgreSQL store against the {@link SessionStoreContract}: one server per class, a fresh database per test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresSessionStoreContractTest extends SessionStoreContract {

    private TestPostgres server;
    private PostgresDatabase db;
    private final List<PostgresDatabase> opened = new ArrayList<>();

    @BeforeAll
    void startServer() {
        server = TestPostgres.shared();
    }

    @BeforeEach
    void freshDatabase() {
        // Each test's database is migrated by the store itself, as a gateway does at start.
        db = PostgresDatabase.connect(new StoreSettings.Postgres(server.createDatabase(), null, null, 8), null);
        opened.add(db);
    }

    @AfterEach
    void closeDatabase() {
        opened.forEach(PostgresDatabase::close);
        opened.clear();
    }

    @Override
    protected SessionStore open(Clock clock) {
        return PostgresSessionStore.create(db.dataSource(), clock);
    }
}
