package ai.clawbot.host.policy;

import java.time.Duration;
import java.util.Objects;

/** How an approval request ended. Only {@link Approved} lets the call run; a timeout is a refusal. */
public sealed interface ApprovalDecision permits ApprovalDecision.Approved, ApprovalDecision.Denied,
        ApprovalDecision.TimedOut {

    /** Who approved it: an operator, or {@value #PRE_APPROVED} for an agent's {@code autoApprove}. */
    record Approved(String by) implements ApprovalDecision {
        public static final String PRE_APPROVED = "pre-approved";

        public Approved {
            Objects.requireNonNull(by, "by");
        }
    }

    /** Refused by an operator, or by the queue itself ({@code by} = {@value #SYSTEM}: overflow, shutdown). */
    record Denied(String by, String reason) implements ApprovalDecision {
        public static final String SYSTEM = "system";

        public Denied {
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Nobody decided within {@code after}: treated as denied. */
    record TimedOut(Duration after) implements ApprovalDecision {
        public TimedOut {
            Objects.requireNonNull(after, "after");
        }
    }

    default boolean approved() {
        return this instanceof Approved;
    }

    /** {@code approved}, {@code denied} or {@code timed_out}: the audit line's and the event's decision. */
    default String wire() {
        return switch (this) {
            case Approved a -> "approved";
            case Denied d -> "denied";
            case TimedOut t -> "timed_out";
        };
    }

    /** A sentence for the audit line and the model. */
    default String describe() {
        return switch (this) {
            case Approved a -> "approved by " + a.by();
            case Denied d -> "denied by " + d.by() + ": " + d.reason();
            case TimedOut t -> "no operator decided within " + (t.after().toMillis() < 1000
                    ? t.after().toMillis() + "ms" : t.after().toSeconds() + "s") + "; treated as denied";
        };
    }
}
