package ai.clawbot.host.config;

/**
 * A write was based on a version of {@code openclaw.json} that is no longer the one on disk (or named no base
 * at all): someone else changed the file since the client read it. Nothing was written. The client should
 * read again ({@code config.get}), redo its change on the new content, and send it with {@link #currentHash()}.
 */
public final class ConfigConflictException extends Exception {

    private final String currentHash;

    ConfigConflictException(String baseHash, String currentHash) {
        super(baseHash == null || baseHash.isBlank()
                ? "baseHash is required: read the config first (config.get) and send its hash"
                : "the config changed since it was read (baseHash " + shorten(baseHash) + ", current " + currentHash
                        + "): read it again and reapply the change");
        this.currentHash = currentHash;
    }

    // The base hash comes from a client: keep an oversized one from flooding logs and replies.
    private static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    /** The hash of the file as it is on disk now: the base to use for a retry. */
    public String currentHash() {
        return currentHash;
    }
}
