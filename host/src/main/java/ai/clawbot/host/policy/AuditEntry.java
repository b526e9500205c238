package ai.clawbot.host.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * One audit line. {@code decision} is {@code denied} for a policy refusal (with the refusing {@code rule}),
 * the approval outcome ({@code approved}, {@code denied}, {@code timed_out}) with {@code layer}
 * {@value #APPROVAL_LAYER}, or {@code ran} for a call the gate dispatched (layer {@value #SANDBOX_LAYER}).
 * {@code door} is where the call came in ({@code agent}, {@code tools.invoke}); null when not known.
 * {@code args} is already a truncated, secret-masked summary, never the full arguments.
 */
public record AuditEntry(Instant ts, String agentId, String sessionKey, String skill, String tool, String decision,
                         String layer, String reason, String args, String door, String rule) {

    public static final String APPROVAL_LAYER = "approval";
    public static final String SANDBOX_LAYER = "sandbox";

    public AuditEntry {
        Objects.requireNonNull(ts, "ts");
        Objects.requireNonNull(decision, "decision");
    }

    public AuditEntry(Instant ts, String agentId, String sessionKey, String skill, String tool, String decision,
                      String layer, String reason, String args) {
        this(ts, agentId, sessionKey, skill, tool, decision, layer, reason, args, null, null);
    }
}
