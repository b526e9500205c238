package ai.clawbot.host.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * One audit line. {@code decision} is {@code denied} for a policy refusal, or the approval outcome
 * ({@code approved}, {@code denied}, {@code timed_out}) with {@code layer} {@value #APPROVAL_LAYER}.
 * {@code args} is already a truncated, secret-masked summary, never the full arguments.
 */
public record AuditEntry(Instant ts, String agentId, String sessionKey, String skill, String tool, String decision,
                         String layer, String reason, String args) {

    public static final String APPROVAL_LAYER = "approval";

    public AuditEntry {
        Objects.requireNonNull(ts, "ts");
        Objects.requireNonNull(decision, "decision");
    }
}
