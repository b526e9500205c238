package ai.clawbot.host.security;

import ai.clawbot.plugin.manifest.SkillManifest;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists, for the record, where each loaded skill may connect (info). This is the one place the audit reads a skill's
 * egress: {@link #allowlist} is the manifest's allowlist today; operator-granted egress ({@code network.grants}
 * filled from {@code plugins.entries.<id>.config}) belongs here when it lands, so that the grants show in the audit
 * and feed {@link NetworkWithWritableWorkspaceCheck} and {@link SecretExfiltrationCheck}.
 */
record NetworkAllowlistCheck() implements AuditCheck {

    static final String ID = "skills.network_allowlist";

    /** Every {@code host:port} {@code skill} may reach. Extend with operator grants here. */
    static List<String> allowlist(SkillManifest skill, AuditContext c) {
        return skill.network().allow();
    }

    @Override
    public List<Finding> run(AuditContext c) {
        List<Finding> out = new ArrayList<>();
        for (SkillManifest m : c.activeSkills()) {
            List<String> allow = allowlist(m, c);
            if (!allow.isEmpty()) {
                out.add(Finding.info(ID, "skill '" + m.id() + "' may connect to " + String.join(", ", allow),
                        "through the gateway's egress proxy; every other destination is refused"));
            }
        }
        return out;
    }
}
