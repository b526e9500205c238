package ai.clawbot.host.security;

import java.util.ArrayList;
import java.util.List;

/** {@code claw security audit}: runs every check over one {@link AuditContext}. */
public final class SecurityAudit {

    private final List<AuditCheck> checks;

    private SecurityAudit(List<AuditCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    /** Every check, deep ones included (they run only when the context asks for {@code --deep}). */
    public static SecurityAudit create() {
        return new SecurityAudit(List.of(new ConfigValidityCheck(), new BindCheck(), new AuthModeCheck(), new TokenCheck(),
                new AllowedOriginsCheck(), new OpenAiEndpointsCheck(), new McpEndpointCheck(), new FileModesCheck(), new DevKeyCheck(),
                new RevokedKeyCheck(), new PluginSignerCheck(), new SecretExfiltrationCheck(),
                new NetworkWithWritableWorkspaceCheck(), new AutoApproveCheck(), new NetworkAllowlistCheck(),
                new RuncCheck(), new SandboxContainerCheck()));
    }

    public AuditReport run(AuditContext context) {
        List<Finding> out = new ArrayList<>();
        for (AuditCheck check : checks) {
            if (check.deepOnly() && !context.deep()) {
                continue;
            }
            try {
                out.addAll(check.run(context));
            } catch (RuntimeException e) {
                // A check that breaks must not hide the others, nor pass silently.
                out.add(Finding.warn("audit.check_failed", check.getClass().getSimpleName() + " could not run",
                        String.valueOf(e.getMessage()), "report this; the other checks ran"));
            }
        }
        return new AuditReport(out, context.deep());
    }
}
