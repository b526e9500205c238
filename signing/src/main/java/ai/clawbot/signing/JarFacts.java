package ai.clawbot.signing;

/**
 * What verification reads from a plugin jar's own bytes: its PF4J descriptor (id, version), the hash of
 * the whole jar and of its skill manifest, and the image the manifest names.
 */
public record JarFacts(String pluginId, String version, String jarSha256, String manifestSha256, String image,
                       byte[] manifestBytes) {
}
