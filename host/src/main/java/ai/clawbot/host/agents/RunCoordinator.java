package ai.clawbot.host.agents;

/**
 * What the gateways sharing one store agree on about runs: who owns an {@code idempotencyKey} (one run per key in
 * the cluster), and one lane per session (one run at a time, whichever gateway took the message). A single gateway
 * needs neither beyond what {@link ChatRuns} does in memory: {@link #LOCAL}.
 */
public interface RunCoordinator {

    /** Alone: every claim is won, lanes are the process's own. */
    RunCoordinator LOCAL = new RunCoordinator() {
    };

    /** The outcome of claiming a key. */
    sealed interface Claim permits Won, Taken {
    }

    /** This send owns the key. */
    record Won() implements Claim {
    }

    /**
     * An earlier send (on any gateway) owns the key.
     *
     * @param status      null while its run is in flight; {@code ok}, {@code aborted}, {@code error} once ended;
     *                    {@code interrupted} when the gateway running it died first
     * @param userEntryId null until its message is stored
     */
    record Taken(String runId, String digest, String sessionKey, String userEntryId, String status) implements Claim {
    }

    default Claim claim(String idempotencyKey, String digest, String runId, String agentId, String sessionKey) {
        return new Won();
    }

    /** The claimed send's message could not be stored: the key is free again. */
    default void release(String idempotencyKey, String runId) {
    }

    default void stored(String idempotencyKey, String userEntryId) {
    }

    default void ended(String idempotencyKey, String status) {
    }

    /** The epoch of a lane nobody else can take (one process): its runs' writes are not fenced. */
    long UNFENCED = 0;

    /**
     * Runs {@code body} holding the session's lane; blocks while another gateway runs the session. {@code body} gets
     * the lane's epoch (the fencing token, {@link #UNFENCED} alone): the runs in it write through
     * {@code SessionStore.fencedBy(epoch)}, so once another gateway took the lane their writes are refused.
     */
    default void inLane(String agentId, String sessionKey, java.util.function.LongConsumer body) {
        body.accept(UNFENCED);
    }
}
