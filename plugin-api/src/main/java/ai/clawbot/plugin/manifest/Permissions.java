package ai.clawbot.plugin.manifest;

import java.util.List;

/** What the skill may touch: the workspace, named secrets, and how much of the machine. */
public record Permissions(WorkspaceAccess workspace, List<String> secrets, Resources resources) {

    public Permissions {
        workspace = workspace == null ? WorkspaceAccess.NONE : workspace;
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        resources = resources == null ? Resources.DEFAULT : resources;
    }
}
