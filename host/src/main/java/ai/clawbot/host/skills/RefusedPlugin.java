package ai.clawbot.host.skills;

/**
 * A plugin file that was not loaded, and why ({@code reason} is a stable code such as
 * {@code UNSIGNED}, {@code BAD_SIGNATURE}, {@code JAR_MISMATCH}, {@code INVALID_MANIFEST}).
 */
public record RefusedPlugin(String file, String reason, String message) {

    @Override
    public String toString() {
        return file + ": " + reason + ": " + message;
    }
}
