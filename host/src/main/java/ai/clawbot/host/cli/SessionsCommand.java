package ai.clawbot.host.cli;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.secrets.FileVault;
import ai.clawbot.host.secrets.SecretsException;
import ai.clawbot.host.sessions.SessionMigration;
import ai.clawbot.host.store.PostgresDatabase;
import ai.clawbot.host.store.StoreException;
import ai.clawbot.host.store.StoreSettings;
import java.io.PrintStream;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code claw sessions list} (the running gateway's sessions) and {@code claw sessions migrate --to postgres}: moves the state folder's sessions into the PostgreSQL store and checks
 * the counts. Exit codes: 0 every session and entry is in the database, 1 a count differs or the copy failed, 2 bad input.
 */
@Command(name = "sessions", mixinStandardHelpOptions = true,
        description = "Sessions: list the running gateway's, or migrate the state folder's into PostgreSQL.",
        subcommands = {SessionsCommand.ListSessions.class, SessionsCommand.Migrate.class})
public final class SessionsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List sessions, most recent first.")
    static final class ListSessions implements Callable<Integer> {
        @Mixin
        GatewayTarget target;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the payload as JSON.")
        boolean json;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            return target.withClient(spec.commandLine().getErr(), c -> {
                JsonNode p = Rpc.call(c, "sessions.list", Rpc.params().put("limit", limit));
                if (json) {
                    Rpc.print(out, p);
                } else {
                    for (JsonNode s : p.path("sessions")) {
                        out.println(s.path("key").asText(s.path("sessionKey").asText()) + "  " + s.path("updatedAt").asText("")
                                + "  " + s.path("title").asText(s.path("label").asText("")));
                    }
                    out.flush();
                }
                return GatewayTarget.OK;
            });
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true, description = {
            "Copy $OPENCLAW_STATE_DIR/agents/*/sessions into a PostgreSQL store (schema migrated first), then compare counts.",
            "Run it with the gateways stopped, then set gateway.store to {kind: postgres, url, ...} (docs/multi-host.md).",
            "Example: claw sessions migrate --to postgres --url jdbc:postgresql://db:5432/claw --user claw --password-secret PG_PASSWORD"})
    static final class Migrate implements Callable<Integer> {

        @Option(names = "--to", required = true, paramLabel = "KIND", description = "The target store: postgres.")
        String to;

        @Option(names = "--url", required = true, paramLabel = "JDBC_URL", description = "jdbc:postgresql://host:port/database")
        String url;

        @Option(names = "--user", paramLabel = "USER")
        String user;

        @Option(names = "--password-secret", paramLabel = "NAME", description = "The vault secret holding the password.")
        String passwordSecret;

        private final Map<String, String> env = System.getenv();
        private final PrintStream out = System.out;
        private final PrintStream err = System.err;

        @Override
        public Integer call() {
            if (!"postgres".equals(to)) {
                err.println("claw: --to must be postgres");
                return 2;
            }
            StoreSettings.Postgres settings;
            try {
                settings = new StoreSettings.Postgres(url, user, passwordSecret, 2);
            } catch (IllegalArgumentException e) {
                err.println("claw: " + e.getMessage());
                return 2;
            }
            StateDir state = StateDir.fromEnvironment(env);
            try (PostgresDatabase db = PostgresDatabase.connect(settings, password(state))) {
                SessionMigration.Counts counts = SessionMigration.toPostgres(state.root(), db.dataSource());
                out.printf("sessions: %d in %s, %d in the database%n", counts.sessions(), state.root(), counts.sessionsInDatabase());
                out.printf("entries:  %d in the transcripts, %d in the database%n", counts.entries(), counts.entriesInDatabase());
                if (!counts.complete()) {
                    err.println("claw: the counts differ; the database is not a complete copy (nothing in the folder was changed)");
                    return 1;
                }
                out.println("complete: set gateway.store to {\"kind\": \"postgres\", \"url\": \"" + url + "\"} to use it");
                return 0;
            } catch (StoreException | SecretsException e) {
                err.println("claw: " + e.getMessage());
                return 1;
            } catch (java.io.IOException | java.sql.SQLException | RuntimeException e) {
                err.println("claw: migration failed: " + e.getMessage());
                return 1;
            }
        }

        private String password(StateDir state) throws SecretsException {
            if (passwordSecret == null) {
                return null;
            }
            byte[] value = FileVault.open(state, env).resolve(List.of(passwordSecret)).get(passwordSecret);
            String s = new String(value, StandardCharsets.UTF_8);
            java.util.Arrays.fill(value, (byte) 0);
            return s;
        }
    }
}
