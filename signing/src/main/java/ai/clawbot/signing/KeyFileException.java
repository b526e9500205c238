package ai.clawbot.signing;

import java.security.GeneralSecurityException;

/** A key file that cannot be used, and why (typed, so a CLI can say exactly what to do). */
public final class KeyFileException extends GeneralSecurityException {

    public enum Problem {
        /** Encrypted, and no passphrase could be had. */
        PASSPHRASE_NEEDED,
        /** The passphrase does not decrypt the key. */
        WRONG_PASSPHRASE,
        /** Not an Ed25519 key, or not a format we read. */
        UNSUPPORTED,
        /** The public key file beside the private key belongs to another key. */
        PUBLIC_KEY_MISMATCH
    }

    private final Problem problem;

    public KeyFileException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public KeyFileException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
