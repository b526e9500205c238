package ai.clawbot.host.policy;

import ai.clawbot.plugin.manifest.NetworkPolicy;
import ai.clawbot.plugin.manifest.WorkspaceAccess;
import java.util.List;
import java.util.Objects;

/**
 * What the sandbox should grant one call: the manifest's declared permissions intersected with every
 * layer's ceiling. Never more than the manifest declares.
 */
public record EffectivePermissions(WorkspaceAccess workspace, NetworkPolicy network, List<String> secrets) {

    public EffectivePermissions {
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(network, "network");
        secrets = List.copyOf(secrets);
    }

    /** One line for an operator: {@code workspace=ro network=[api.x:443] secrets=[TOKEN]}. */
    public String summary() {
        return "workspace=" + workspace.wire() + " network=" + (network.isNone() ? "none" : network.allow())
                + " secrets=" + secrets;
    }
}
