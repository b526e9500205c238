package ai.clawbot.plugin.onepassword;

/** A malformed {@code op://} reference; the message says what is wrong and never holds a secret value. */
public final class SecretReferenceException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public SecretReferenceException(String message) {
        super(message);
    }
}
