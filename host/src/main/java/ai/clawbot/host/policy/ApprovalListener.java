package ai.clawbot.host.policy;

/**
 * Receives the queue's events, in the order they happened, on the queue's event thread (one at a time).
 * The gateway broadcasts them as {@value #REQUESTED} and {@value #RESOLVED}. A listener that throws is
 * logged and does not stop the others.
 */
public interface ApprovalListener {

    String REQUESTED = "approval.requested";
    String RESOLVED = "approval.resolved";

    default void requested(ApprovalRequest request) {
    }

    default void resolved(Resolved resolved) {
    }
}
