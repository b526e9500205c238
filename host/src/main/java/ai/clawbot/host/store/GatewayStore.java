package ai.clawbot.host.store;

import ai.clawbot.host.agents.RunCoordinator;
import ai.clawbot.host.agents.RunEvents;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.policy.SessionPolicies;
import ai.clawbot.host.secrets.SecretsException;
import ai.clawbot.host.secrets.SecretsProvider;
import ai.clawbot.host.sessions.FileSessionStore;
import ai.clawbot.host.sessions.PostgresSessionStore;
import ai.clawbot.host.sessions.SessionStore;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where a gateway keeps what outlives a run: the sessions, and for {@code kind: postgres} the database that
 * several gateways share. The composition root ({@code wiring}) opens one through a {@link Factory}, which
 * {@code Gateway.Options} carries so tests and embedders can choose.
 */
public interface GatewayStore extends AutoCloseable {

    SessionStore sessions();

    /** The shared database, when there is one. */
    default Optional<PostgresDatabase> database() {
        return Optional.empty();
    }

    /** Null while the store can serve; else why not ({@code /readyz} turns 503 with it). */
    default String problem() {
        return database().map(PostgresDatabase::problem).orElse(null);
    }

    /**
     * Where runs publish: {@code local} (this gateway's clients), plus, with a shared database, every other gateway
     * on it; events the others publish reach {@code local} too. Stops with the store.
     */
    default RunEvents runEvents(RunEvents local) {
        return local;
    }

    /** Publishes to the other gateways only (events this gateway's clients already got another way). */
    default RunEvents othersOnly() {
        return RunEvents.NONE;
    }

    /** The session layer of the policy chain: the state folder's file, or the shared database. */
    default SessionPolicies sessionPolicies(StateDir state) {
        return SessionPolicies.open(state.root());
    }

    /** How this gateway agrees with the others on idempotency keys and session lanes (alone: {@link RunCoordinator#LOCAL}). */
    default RunCoordinator runs() {
        return RunCoordinator.LOCAL;
    }

    @Override
    void close();

    /** Opens the store {@code settings} describe; secrets (the database password) come from the vault. */
    @FunctionalInterface
    interface Factory {

        GatewayStore open(StateDir state, StoreSettings settings, SecretsProvider secrets);

        /** {@code gateway.store} as configured: the state folder's files, or PostgreSQL. */
        static Factory configured() {
            return (state, settings, secrets) -> switch (settings) {
                case StoreSettings.Files f -> files(state);
                case StoreSettings.Postgres p -> postgres(p, password(p, secrets));
            };
        }
    }

    static GatewayStore files(StateDir state) {
        SessionStore sessions = FileSessionStore.open(state.root());
        return new GatewayStore() {
            @Override
            public SessionStore sessions() {
                return sessions;
            }

            @Override
            public void close() {
                sessions.close();
            }
        };
    }

    /** Connects (migrating the schema first). @throws StoreException when the database cannot be used */
    static GatewayStore postgres(StoreSettings.Postgres settings, String password) {
        PostgresDatabase db = PostgresDatabase.connect(settings, password);
        SessionStore sessions = PostgresSessionStore.create(db.dataSource());
        java.util.List<EventFanout> fanouts = new java.util.concurrent.CopyOnWriteArrayList<>();
        PostgresRuns runs = new PostgresRuns(db);
        return new GatewayStore() {
            @Override
            public RunCoordinator runs() {
                return runs;
            }

            @Override
            public RunEvents othersOnly() {
                return (event, payload) -> fanouts.forEach(f -> f.publish(event, payload));
            }

            @Override
            public SessionPolicies sessionPolicies(StateDir state) {
                return SessionPolicies.over(new PostgresSessionPolicies(db));
            }

            @Override
            public RunEvents runEvents(RunEvents local) {
                EventFanout fanout = EventFanout.start(db, local, runs.owner());
                fanouts.add(fanout);
                return (event, payload) -> {
                    local.publish(event, payload);
                    fanout.publish(event, payload);
                };
            }

            @Override
            public SessionStore sessions() {
                return sessions;
            }

            @Override
            public Optional<PostgresDatabase> database() {
                return Optional.of(db);
            }

            @Override
            public void close() {
                fanouts.forEach(EventFanout::close);
                sessions.close();
                db.close();
            }
        };
    }

    private static String password(StoreSettings.Postgres settings, SecretsProvider secrets) {
        if (settings.passwordSecret() == null) {
            return null;
        }
        byte[] value = null;
        try {
            value = secrets.resolve(List.of(settings.passwordSecret())).get(settings.passwordSecret());
            return new String(value, StandardCharsets.UTF_8);
        } catch (SecretsException e) {
            throw new StoreException("gateway.store.passwordSecret '" + settings.passwordSecret() + "': " + e.getMessage(), e);
        } finally {
            if (value != null) {
                Arrays.fill(value, (byte) 0);
            }
        }
    }
}
