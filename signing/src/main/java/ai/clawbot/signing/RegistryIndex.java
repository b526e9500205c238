package ai.clawbot.signing;

import java.util.List;

/**
 * A registry's signed list of plugins. {@code serial} only grows (rollback protection); {@code expiresAt}
 * bounds how long a mirror can keep serving a stale index (freeze protection).
 */
public record RegistryIndex(String format, long serial, String generatedAt, String expiresAt, List<Entry> plugins) {

    public static final String FORMAT = "clawbot-registry-index/1";

    public RegistryIndex {
        plugins = List.copyOf(plugins);
    }

    /** One plugin: where to get it and what it must hash to; {@code signature} is its .sig file, base64. */
    public record Entry(String id, String version, String jarSha256, String keyId, String signature, String path) {
    }
}
