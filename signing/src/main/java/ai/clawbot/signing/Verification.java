package ai.clawbot.signing;

import ai.clawbot.signing.TrustStore.TrustedKey;

/** The outcome of verifying a plugin jar: verified with its facts and signer, or rejected with why. */
public sealed interface Verification {

    record Verified(JarFacts facts, SignatureStatement statement, TrustedKey signer) implements Verification {
    }

    record Rejected(Reason reason, String message) implements Verification {
    }

    enum Reason {
        UNSIGNED, MALFORMED_SIGNATURE, UNTRUSTED_KEY, REVOKED_KEY, BAD_SIGNATURE, JAR_MISMATCH, REVOKED_JAR,
        MANIFEST_MISMATCH, DESCRIPTOR_MISMATCH, MALFORMED_JAR, TOO_LARGE, DOWNGRADE
    }
}
