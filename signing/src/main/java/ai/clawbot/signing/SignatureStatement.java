package ai.clawbot.signing;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What a publisher asserts when signing a plugin. The signature is over the exact bytes of this
 * statement's JSON (never a re-serialisation), and the statement pins the jar by its SHA-256, so the
 * signature covers every byte of the jar.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record SignatureStatement(
        String pluginId,
        String version,
        String jarSha256,
        String manifestSha256,
        String image,
        String signedAt,
        String keyId) {
}
