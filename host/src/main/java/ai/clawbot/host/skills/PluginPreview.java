package ai.clawbot.host.skills;

import ai.clawbot.plugin.manifest.SkillManifest;
import java.util.stream.Collectors;

/**
 * A verified plugin not yet installed: what it is, who signed it, and everything it may do, for an
 * operator to read before confirming.
 */
public record PluginPreview(SkillManifest manifest, String signerKeyId, String signerName, String jarSha256,
                            byte[] jar, byte[] signature) {

    public String id() {
        return manifest.id();
    }

    public String version() {
        return manifest.version();
    }

    /** A plain-text summary of the plugin's powers, one line each. */
    public String describe() {
        var p = manifest.permissions();
        StringBuilder b = new StringBuilder();
        b.append(manifest.id()).append(' ').append(manifest.version()).append(": ").append(manifest.description()).append('\n');
        b.append("  signed by ").append(signerName).append(" (").append(signerKeyId).append(")\n");
        b.append("  sandbox image: ").append(manifest.sandbox().image()).append('\n');
        b.append("  tools: ").append(manifest.tools().stream().map(t -> t.name() + " [" + t.effect().wire() + "]")
                .collect(Collectors.joining(", "))).append('\n');
        b.append("  workspace: ").append(p.workspace().wire()).append('\n');
        b.append("  secrets: ").append(p.secrets().isEmpty() ? "none" : String.join(", ", p.secrets())).append('\n');
        b.append("  network: ").append(manifest.network().allow().isEmpty() ? "none" : String.join(", ", manifest.network().allow())).append('\n');
        for (var g : manifest.network().grants()) {
            // What the operator may open later through a setting: shown now, when the publisher's bounds are judged.
            b.append("  operator may grant: setting '").append(g.setting()).append("' (").append(g.description()).append(")")
                    .append(g.ports().isEmpty() ? ", any port" : ", ports " + g.ports())
                    .append(g.schemes().isEmpty() ? "" : ", schemes " + g.schemes())
                    .append(g.anyHost() ? ", or any public host (*)" : "").append('\n');
        }
        manifest.settingsSchema().ifPresent(s -> b.append("  settings: ").append(String.join(", ",
                (Iterable<String>) () -> s.path("properties").fieldNames())).append('\n'));
        b.append("  limits: memory ").append(p.resources().memory()).append(", cpus ").append(p.resources().cpus())
                .append(", pids ").append(p.resources().pids()).append(", timeout ").append(p.resources().timeout());
        return b.toString();
    }

}
