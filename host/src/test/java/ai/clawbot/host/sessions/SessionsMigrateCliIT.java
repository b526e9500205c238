package ai.clawbot.host.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.store.PostgresDatabase;
import ai.clawbot.host.store.StoreSettings;
import ai.clawbot.host.testkit.Claw;
import ai.clawbot.host.testkit.TestPostgres;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./claw sessions migrate --to postgres} as an operator runs it: counts printed, exit 0, every entry readable. */
class SessionsMigrateCliIT {

    @TempDir
    Path state;

    @Test
    void theLauncherMigratesAStateFolderAndReportsMatchingCounts() throws Exception {
        try (FileSessionStore files = FileSessionStore.open(state)) {
            for (int i = 0; i < 30; i++) {
                files.append("default", "agent:default:main", TranscriptEntry.message("user", JsonNodeFactory.instance.numberNode(i)));
            }
            files.append("coder", "agent:coder:main", TranscriptEntry.message("user", JsonNodeFactory.instance.textNode("x")));
        }
        try (TestPostgres pg = TestPostgres.start()) {
            String url = pg.createDatabase();
            Map<String, String> env = Map.of("OPENCLAW_STATE_DIR", state.toString());
            Claw.Result r = Claw.run(env, null, "sessions", "migrate", "--to", "postgres", "--url", url);
            assertThat(r.exit()).as(r.out()).isZero();
            assertThat(r.out()).contains("sessions: 2 in").contains("2 in the database")
                    .contains("entries:  31 in the transcripts, 31 in the database").contains("complete");
            try (PostgresDatabase db = PostgresDatabase.connect(new StoreSettings.Postgres(url, null, null, 2), null);
                 SessionStore store = PostgresSessionStore.create(db.dataSource())) {
                assertThat(store.read("default", "agent:default:main", 100)).hasSize(30);
            }

            Claw.Result bad = Claw.run(env, null, "sessions", "migrate", "--to", "mysql", "--url", url);
            assertThat(bad.exit()).isEqualTo(2);
            Claw.Result unreachable = Claw.run(env, null, "sessions", "migrate", "--to", "postgres", "--url",
                    "jdbc:postgresql://127.0.0.1:1/nothing");
            assertThat(unreachable.exit()).as(unreachable.out()).isEqualTo(1);
            assertThat(unreachable.out()).contains("cannot connect");
        }
    }
}
