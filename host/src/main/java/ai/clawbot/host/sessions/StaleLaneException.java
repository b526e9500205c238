package ai.clawbot.host.sessions;

/**
 * A write of a run whose session lane another gateway has taken since (the lane's epoch moved on): refused, nothing
 * written. The run that gets it must stop writing and end as {@code interrupted}.
 */
public final class StaleLaneException extends SessionStoreException {

    private final long heldEpoch;

    public StaleLaneException(String agentId, String sessionKey, long heldEpoch) {
        super("the lane of session '" + sessionKey + "' of agent " + agentId + " was taken by another gateway (this run"
                + " held epoch " + heldEpoch + "); the write was refused");
        this.heldEpoch = heldEpoch;
    }

    /** The lane epoch the refused writer held. */
    public long heldEpoch() {
        return heldEpoch;
    }
}
