package ai.clawbot.host.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.store.PostgresDatabase;
import ai.clawbot.host.store.StoreSettings;
import ai.clawbot.host.testkit.TestPostgres;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code claw sessions migrate --to postgres}'s copy: every session and entry of a state folder, counted on both sides. */
class SessionMigrationTest {

    @TempDir
    Path state;

    @Test
    void everySessionAndEntryArrivesWithItsIdsAndARerunAddsNothing() throws Exception {
        try (FileSessionStore files = FileSessionStore.open(state)) {
            for (int i = 0; i < 1500; i++) { // over one read's limit
                files.append("default", "agent:default:long", TranscriptEntry.message("user", JsonNodeFactory.instance.numberNode(i)));
            }
            files.append("default", "agent:default:short", TranscriptEntry.message("user", JsonNodeFactory.instance.textNode("hi ✓")));
            files.append("coder", "agent:coder:main", TranscriptEntry.message("assistant", JsonNodeFactory.instance.textNode("x")));
            files.resolve("coder", "agent:coder:empty");
            files.reset("default", "agent:default:short"); // the archived transcript stays behind; the fresh one moves
        }
        TestPostgres pg = TestPostgres.shared();
        try (PostgresDatabase db = PostgresDatabase.connect(new StoreSettings.Postgres(pg.createDatabase(), null, null, 2), null)) {
            SessionMigration.Counts counts = SessionMigration.toPostgres(state, db.dataSource());
            assertThat(counts).isEqualTo(new SessionMigration.Counts(4, 1501, 4, 1501));
            assertThat(counts.complete()).isTrue();
            assertThat(SessionMigration.toPostgres(state, db.dataSource())).as("a second run").isEqualTo(counts);

            try (FileSessionStore files = FileSessionStore.open(state); SessionStore pgStore = PostgresSessionStore.create(db.dataSource())) {
                for (String agent : List.of("default", "coder")) {
                    assertThat(pgStore.list(agent)).isEqualTo(files.list(agent));
                    for (SessionEntry s : files.list(agent)) {
                        assertThat(pgStore.read(agent, s.sessionKey(), 1000)).isEqualTo(files.read(agent, s.sessionKey(), 1000));
                    }
                }
                // The copy continues the chain where the file left it.
                TranscriptEntry last = files.read("default", "agent:default:long", 1).getFirst();
                assertThat(pgStore.append("default", "agent:default:long", TranscriptEntry.message("user", null)).entry().parentId())
                        .isEqualTo(last.id());
            }
        }
    }
}
