package ai.clawbot.host.security;

import java.util.List;

/** One check of the security audit: reads the context, never changes anything. */
@FunctionalInterface
public interface AuditCheck {

    List<Finding> run(AuditContext context);

    /** Whether the check only runs with {@code --deep} (it inspects live containers). */
    default boolean deepOnly() {
        return false;
    }
}
