package ai.clawbot.host.policy;

import java.time.Instant;
import java.util.Objects;

/** A request and how it ended: an entry of {@link ApprovalQueue#recent} and the {@code approval.resolved} event. */
public record Resolved(ApprovalRequest request, ApprovalDecision decision, Instant resolvedAt) {

    public Resolved {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(resolvedAt, "resolvedAt");
    }
}
