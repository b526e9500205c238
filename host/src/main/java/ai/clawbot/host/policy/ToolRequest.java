package ai.clawbot.host.policy;

import ai.clawbot.plugin.manifest.Effect;
import ai.clawbot.plugin.manifest.NetworkPolicy;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import ai.clawbot.plugin.manifest.WorkspaceAccess;
import java.util.List;
import java.util.Objects;

/**
 * A tool call to judge: the names as requested (checked by {@link PolicyChain}, not here, so a bad name
 * becomes a refusal the model can read) and what the skill's manifest declares it needs.
 */
public record ToolRequest(String skill, String tool, Effect effect, WorkspaceAccess workspace,
                          NetworkPolicy network, List<String> secrets) {

    public ToolRequest {
        Objects.requireNonNull(skill, "skill");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(effect, "effect");
        workspace = workspace == null ? WorkspaceAccess.NONE : workspace;
        network = network == null ? NetworkPolicy.none() : network;
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
    }

    /** The request for {@code tool} of a (validated) manifest: its effect and the skill's permissions. */
    public static ToolRequest of(SkillManifest manifest, ToolDeclaration tool) {
        return new ToolRequest(manifest.id(), tool.name(), tool.effect(),
                manifest.permissions() == null ? null : manifest.permissions().workspace(), manifest.network(),
                manifest.permissions() == null ? null : manifest.permissions().secrets());
    }

    public String qualifiedName() {
        return PolicyNames.qualified(skill, tool);
    }
}
