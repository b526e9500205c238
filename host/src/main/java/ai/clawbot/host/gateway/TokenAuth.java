package ai.clawbot.host.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Checks a presented gateway token in constant time (hashes first, so length leaks nothing either). */
final class TokenAuth {

    private final byte[] expected;

    TokenAuth(String token) {
        this.expected = sha256(token);
    }

    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(expected, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
