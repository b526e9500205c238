package ai.clawbot.host.gateway;

import java.util.Set;

/** The operator scopes and which one each method family needs. */
public final class Scopes {

    public static final String READ = "operator.read";
    public static final String WRITE = "operator.write";
    public static final String ADMIN = "operator.admin";
    /** Deciding operator approvals (OpenClaw's {@code operator.approvals}). */
    public static final String APPROVALS = "operator.approvals";
    public static final Set<String> OPERATOR = Set.of(READ, WRITE, ADMIN, APPROVALS);

    private Scopes() {
    }
}
