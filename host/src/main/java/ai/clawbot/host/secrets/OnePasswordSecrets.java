package ai.clawbot.host.secrets;

import ai.clawbot.plugin.onepassword.ConnectClient;
import ai.clawbot.plugin.onepassword.ConnectException;
import ai.clawbot.plugin.onepassword.SecretReference;
import ai.clawbot.plugin.onepassword.SecretReferenceException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The host's {@link SecretResolver} for {@code op://} references, through the same Connect client as the
 * {@code onepassword} skill: the server is that skill's operator grant ({@value #URL_PATH}), the token its vault
 * secret {@value #TOKEN_SECRET}. A resolved value is kept in memory only, for {@code cache_seconds} (default
 * {@value #DEFAULT_CACHE_SECONDS}; 0 resolves at every use); a failure is never cached, and its message names the
 * reference and the cause, never the value or the token.
 */
public final class OnePasswordSecrets implements SecretResolver {

    public static final String SKILL_ID = "onepassword";
    public static final String TOKEN_SECRET = "OP_CONNECT_TOKEN";
    public static final String URL_PATH = "plugins.entries.onepassword.config.connect_url";
    public static final int DEFAULT_CACHE_SECONDS = 60;
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    /** Where Connect is and how long a value may be kept. */
    public record Connection(String url, Duration cacheFor) {
        public Connection {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(cacheFor, "cacheFor");
        }

        /** From the config's {@code plugins} section; empty when no Connect URL is set. */
        public static Optional<Connection> fromPlugins(JsonNode plugins) {
            JsonNode config = plugins == null ? null : plugins.path("entries").path(SKILL_ID).path("config");
            String url = config == null ? "" : config.path("connect_url").asText("");
            if (url.isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new Connection(url, Duration.ofSeconds(Math.max(0,
                    config.path("cache_seconds").asInt(DEFAULT_CACHE_SECONDS)))));
        }
    }

    private record Cached(String url, String value, Instant until) {
    }

    private final Supplier<Optional<Connection>> connection;
    private final SecretsProvider vault;
    private final Clock clock;
    private final java.util.function.Consumer<String> onResolved;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private OnePasswordSecrets(Supplier<Optional<Connection>> connection, SecretsProvider vault, Clock clock,
                               java.util.function.Consumer<String> onResolved) {
        this.connection = connection;
        this.vault = vault;
        this.clock = clock;
        this.onResolved = onResolved;
    }

    /**
     * @param connection read at every resolution, so a config change applies at once
     * @param vault      where {@value #TOKEN_SECRET} is read from (at every resolution that misses the cache)
     */
    public static OnePasswordSecrets create(Supplier<Optional<Connection>> connection, SecretsProvider vault, Clock clock) {
        return new OnePasswordSecrets(connection, vault, clock, v -> { });
    }

    /** @param onResolved told each value resolved (the gateway's log and audit redactor registers it) */
    public static OnePasswordSecrets create(Supplier<Optional<Connection>> connection, SecretsProvider vault, Clock clock,
                                            java.util.function.Consumer<String> onResolved) {
        return new OnePasswordSecrets(connection, vault, clock, onResolved);
    }

    @Override
    public String resolve(String configured, String where) throws SecretsException {
        if (!SecretResolver.isReference(configured)) {
            return configured;
        }
        SecretReference ref;
        try {
            ref = SecretReference.parse(configured);
        } catch (SecretReferenceException e) {
            throw failed(where, e.getMessage());
        }
        Connection c = connection.get().orElseThrow(() -> failed(where, "'" + ref + "' cannot be resolved: no Connect server is"
                + " configured (set " + URL_PATH + " and claw secrets set " + TOKEN_SECRET + ")"));
        String key = ref.toString();
        Instant now = clock.instant();
        Cached hit = cache.get(key);
        if (hit != null && hit.url().equals(c.url()) && now.isBefore(hit.until()) && !ref.wantsOtp()) {
            return hit.value();
        }
        cache.remove(key);
        String value;
        try {
            value = client(c, where).resolve(ref);
        } catch (ConnectException e) {
            throw failed(where, "'" + ref + "' cannot be resolved: " + e.getMessage() + " [" + e.code() + "]");
        }
        onResolved.accept(value);
        // A one-time code is never kept: the next use needs the next code.
        if (!c.cacheFor().isZero() && !ref.wantsOtp()) {
            cache.put(key, new Cached(c.url(), value, now.plus(c.cacheFor())));
        }
        return value;
    }

    /** Drops every kept value (a config change, a rotated token, {@code claw secrets check}). */
    public void forget() {
        cache.clear();
    }

    /** How many values are kept now (for tests of the never-cache-a-failure rule). */
    public int cached() {
        return cache.size();
    }

    private ConnectClient client(Connection c, String where) throws SecretsException {
        byte[] raw = null;
        try {
            raw = vault.resolve(List.of(TOKEN_SECRET)).get(TOKEN_SECRET);
            String token = new String(raw, StandardCharsets.UTF_8).strip();
            if (SecretResolver.isReference(token)) {
                throw failed(where, "the Connect token " + TOKEN_SECRET + " is itself an op:// reference; store the token");
            }
            return ConnectClient.create(c.url(), token, null, DEADLINE, clock);
        } catch (SecretsException e) {
            if (e.kind() == SecretsException.Kind.REFERENCE) {
                throw e;
            }
            throw failed(where, "no Connect token: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw failed(where, e.getMessage());
        } finally {
            if (raw != null) {
                Arrays.fill(raw, (byte) 0);
            }
        }
    }

    private static SecretsException failed(String where, String why) {
        return new SecretsException(SecretsException.Kind.REFERENCE, where + ": " + why);
    }
}
