package ai.clawbot.host.scaffold;

/** {@code claw plugins new} refused its input; nothing was written. */
public final class ScaffoldException extends Exception {

    /** Why: a bad plugin id, a bad Java package, a target that is not an empty folder, or an I/O failure. */
    public enum Reason { BAD_ID, BAD_PACKAGE, TARGET_NOT_EMPTY, IO }

    private final Reason reason;

    public ScaffoldException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
