package ai.clawbot.host.secrets;

/**
 * A secret could not be stored or resolved. The message says exactly why and what to do, and never holds a
 * secret value: it is shown to operators and may end up in logs.
 */
public final class SecretsException extends Exception {

    /** What went wrong, for callers that answer differently (a missing secret is the operator's to set). */
    public enum Kind {
        /** A requested secret is not in the vault. */
        MISSING,
        /** The vault key is absent, malformed, unsafe (readable by others) or does not open the vault. */
        KEY,
        /** The vault file is malformed, or a value fails authentication (wrong key or tampering). */
        CORRUPT,
        /** The vault's files cannot be read or written. */
        IO,
        /** An {@code op://} reference is malformed or could not be resolved (Connect unset, down, token refused, not found). */
        REFERENCE
    }

    private final Kind kind;

    public SecretsException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SecretsException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
