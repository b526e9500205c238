package ai.clawbot.plugin.manifest;

import java.util.List;
import java.util.Optional;

/**
 * A skill's manifest (v1): what it offers and everything it may do. Read from
 * {@value #JAR_ENTRY} inside the signed plugin jar; the host validates it against the JSON Schema in
 * {@code skill-manifests} before trusting any field.
 */
public record SkillManifest(
        String id,
        String version,
        String description,
        List<ToolDeclaration> tools,
        SandboxSpec sandbox,
        Permissions permissions,
        NetworkPolicy network) {

    /** Where the manifest lives inside a plugin jar. */
    public static final String JAR_ENTRY = "META-INF/clawbot/skill.yaml";

    public SkillManifest {
        tools = List.copyOf(tools);
        network = network == null ? NetworkPolicy.none() : network;
    }

    public Optional<ToolDeclaration> tool(String name) {
        return tools.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
