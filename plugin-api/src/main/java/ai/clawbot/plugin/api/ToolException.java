package ai.clawbot.plugin.api;

/**
 * A tool refused or failed in a way the caller should see (bad path, note exists, ...).
 * The message is returned to the caller as the tool's error result, so it must not contain secrets.
 */
public class ToolException extends Exception {

    private final String code;

    public ToolException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** A short machine-readable reason, e.g. {@code NOT_FOUND}, {@code EXISTS}, {@code OUTSIDE_VAULT}. */
    public String code() {
        return code;
    }
}
