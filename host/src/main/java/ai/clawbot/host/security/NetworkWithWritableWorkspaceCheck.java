package ai.clawbot.host.security;

import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.plugin.manifest.WorkspaceAccess;
import java.util.ArrayList;
import java.util.List;

/**
 * A skill with network egress and a read-write workspace: it can fetch content from the network and plant it in the
 * workspace (or read the workspace and ship it out) in one call.
 */
record NetworkWithWritableWorkspaceCheck() implements AuditCheck {

    static final String ID = "skills.network_rw_workspace";

    @Override
    public List<Finding> run(AuditContext c) {
        List<Finding> out = new ArrayList<>();
        for (SkillManifest m : c.activeSkills()) {
            List<String> allow = NetworkAllowlistCheck.allowlist(m, c);
            if (!allow.isEmpty() && m.permissions().workspace() == WorkspaceAccess.RW) {
                out.add(Finding.warn(ID, "skill '" + m.id() + "' has network egress and a read-write workspace",
                        "it reaches " + String.join(", ", allow) + " and writes the agent workspace: content fetched from"
                                + " the network can land among the agent's files, and files can leave",
                        "narrow it per agent: permissions.workspace \"ro\" (or network \"none\") in the agents that use '"
                                + m.id() + "'"));
            }
        }
        return out;
    }
}
