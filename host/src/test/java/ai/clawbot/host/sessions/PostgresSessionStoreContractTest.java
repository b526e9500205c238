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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

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

    /** Beyond the contract: an append holding a lane epoch another gateway has since moved on is refused, whole. */
    @Test
    void anAppendHoldingAStaleLaneEpochIsRefusedAndWritesNothing() throws Exception {
        SessionStore store = open(Clock.systemUTC());
        store.append("main", "agent:main:lane", entry("before"));
        setEpoch("main", "agent:main:lane", 1);
        store.fencedBy(1).append("main", "agent:main:lane", entry("holder of epoch 1"));
        setEpoch("main", "agent:main:lane", 2); // another gateway took the lane

        assertThatThrownBy(() -> store.fencedBy(1).append("main", "agent:main:lane", entry("stale")))
                .isInstanceOf(StaleLaneException.class).hasMessageContaining("taken by another gateway")
                .satisfies(e -> assertThat(((StaleLaneException) e).heldEpoch()).isEqualTo(1));
        store.fencedBy(2).append("main", "agent:main:lane", entry("holder of epoch 2"));
        assertThatThrownBy(() -> store.fencedBy(7).append("main", "agent:main:lane", entry("future")))
                .isInstanceOf(StaleLaneException.class);
        assertThatThrownBy(() -> store.fencedBy(0)).isInstanceOf(IllegalArgumentException.class);

        assertThat(store.read("main", "agent:main:lane", 10)).extracting(e -> e.payload().path("text").asText())
                .containsExactly("before", "holder of epoch 1", "holder of epoch 2");
    }

    private void setEpoch(String agentId, String sessionKey, long epoch) throws Exception {
        try (var c = db.dataSource().getConnection(); var ps = c.prepareStatement("INSERT INTO session_lanes (agent_id,"
                + " session_key, lane_epoch) VALUES (?, ?, ?) ON CONFLICT (agent_id, session_key) DO UPDATE SET lane_epoch = ?")) {
            ps.setString(1, agentId);
            ps.setString(2, sessionKey);
            ps.setLong(3, epoch);
            ps.setLong(4, epoch);
            ps.executeUpdate();
        }
    }

    private static TranscriptEntry entry(String text) {
        return TranscriptEntry.of("note", JsonNodeFactory.instance.objectNode().put("text", text));
    }
}
