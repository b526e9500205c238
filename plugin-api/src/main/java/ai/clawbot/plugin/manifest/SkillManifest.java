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
        NetworkPolicy network,
        com.fasterxml.jackson.databind.JsonNode settings) {

    /** Where the manifest lives inside a plugin jar. */
    public static final String JAR_ENTRY = "META-INF/clawbot/skill.yaml";

    public SkillManifest {
        tools = List.copyOf(tools);
        network = network == null ? NetworkPolicy.none() : network;
    }

    /** A manifest without a {@code settings:} schema. */
    public SkillManifest(String id, String version, String description, List<ToolDeclaration> tools, SandboxSpec sandbox,
                         Permissions permissions, NetworkPolicy network) {
        this(id, version, description, tools, sandbox, permissions, network, null);
    }

    /** The JSON Schema of the skill's operator settings ({@code plugins.entries.<id>.config}), if it declares one. */
    public Optional<com.fasterxml.jackson.databind.JsonNode> settingsSchema() {
        return Optional.ofNullable(settings).filter(s -> !s.isNull() && !s.isMissingNode());
    }

    public Optional<ToolDeclaration> tool(String name) {
        return tools.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * Whether {@code name} is another tool's approval preview ({@code approval.preview}): only the gateway calls it,
     * before that tool's approval; no model, {@code /mcp} client or {@code tools.invoke} caller may.
     */
    public boolean isPreviewTool(String name) {
        return tools.stream().anyMatch(t -> t.previewTool().filter(name::equals).isPresent());
    }

    /**
     * Whether this is a vault skill: one with a {@code secret} tool. Its network is the vault it reads from
     * (onepassword's Connect server), not a way out.
     */
    public boolean hasSecretTool() {
        return tools.stream().anyMatch(t -> t.effect() == Effect.SECRET);
    }

    /**
     * Whether a call of one of this skill's tools, of {@code effect} and run with the {@code granted} network
     * (operator grants included), can send data out: an {@code external} effect or any network allowlist, unless
     * this is a vault skill ({@link #hasSecretTool()}). The gateway asks for an approval of such a call in a session
     * that was shown a secret, and the security audit reports an agent that can both reveal and send.
     */
    public boolean sendsOut(Effect effect, NetworkPolicy granted) {
        return !hasSecretTool() && (effect == Effect.EXTERNAL || !granted.isNone());
    }
}
