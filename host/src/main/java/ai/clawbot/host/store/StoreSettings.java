package ai.clawbot.host.store;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code gateway.store} of {@code openclaw.json}: the state folder's files (the default) or a shared PostgreSQL. */
public sealed interface StoreSettings permits StoreSettings.Files, StoreSettings.Postgres {

    /** Sessions in the state folder, one gateway per folder. */
    record Files() implements StoreSettings {
    }

    /**
     * Sessions in PostgreSQL, shared by every gateway configured with the same {@code url}.
     *
     * @param passwordSecret the vault secret holding the password, or null (trust/peer auth, or a password in the url)
     */
    record Postgres(String url, String user, String passwordSecret, int maxPoolSize) implements StoreSettings {

        public Postgres {
            if (url == null || !url.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("gateway.store.url must be a jdbc:postgresql:// URL");
            }
            if (maxPoolSize < 1) {
                throw new IllegalArgumentException("gateway.store.maxPoolSize must be at least 1");
            }
        }
    }

    /** From {@code gateway.store} (absent: the files). */
    public static StoreSettings from(JsonNode store) {
        if (store == null || store.isMissingNode() || store.isNull() || "file".equals(store.path("kind").asText("file"))) {
            return new Files();
        }
        if (!"postgres".equals(store.path("kind").asText())) {
            throw new IllegalArgumentException("gateway.store.kind must be file or postgres, not '" + store.path("kind").asText() + "'");
        }
        return new Postgres(store.path("url").asText(null), store.path("user").asText(null),
                store.path("passwordSecret").asText(null), store.path("maxPoolSize").asInt(8));
    }

    /** From the whole {@code openclaw.json}. */
    public static StoreSettings fromConfig(JsonNode config) {
        return from(config.path("gateway").path("store"));
    }
}
