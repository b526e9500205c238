package ai.clawbot.host.security;

import ai.clawbot.host.sandbox.egress.EgressGrant;
import ai.clawbot.plugin.manifest.SkillManifest;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists, for the record, where each loaded skill may connect (info), and every endpoint an operator granted through
 * a skill's settings ({@code network.grants} in its signed manifest, filled from {@code plugins.entries.<id>.config}):
 * the one place the audit reads a skill's egress. {@link AuditContext#activeSkills()} already carries the grants in
 * each allowlist, so {@link NetworkWithWritableWorkspaceCheck} and {@link SecretExfiltrationCheck} judge them too.
 */
record NetworkAllowlistCheck() implements AuditCheck {

    static final String ID = "skills.network_allowlist";
    static final String GRANT_ID = "skills.egress_grant";

    /** Every {@code host:port} {@code skill} may reach, operator grants included. */
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
        for (SkillManifest m : c.signedSkills()) {
            for (EgressGrant g : c.configOf(m).grants()) {
                String what = g.anyHost() ? "any public host on port " + g.port() : g.toString();
                out.add(Finding.info(GRANT_ID, "skill '" + m.id() + "' is granted " + what + " by " + g.name()
                                + (g.allowPrivate() ? " (private addresses allowed)" : ""),
                        "an operator grant within the signed manifest's bound; remove it from " + g.name()
                                + " (claw config or the Control UI's skills view) if it is not needed"));
            }
        }
        return out;
    }
}
