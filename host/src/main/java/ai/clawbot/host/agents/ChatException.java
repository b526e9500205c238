package ai.clawbot.host.agents;

/**
 * A chat request refused before anything was acknowledged. {@code kind} maps to the protocol's codes:
 * INVALID (bad input), NOT_FOUND (unknown agent or session), UNAVAILABLE (storage failed, draining).
 */
public final class ChatException extends Exception {

    public enum Kind { INVALID, NOT_FOUND, UNAVAILABLE }

    private final Kind kind;
    private final String detailCode;

    public ChatException(Kind kind, String detailCode, String message) {
        super(message);
        this.kind = kind;
        this.detailCode = detailCode;
    }

    public Kind kind() {
        return kind;
    }

    public String detailCode() {
        return detailCode;
    }
}
