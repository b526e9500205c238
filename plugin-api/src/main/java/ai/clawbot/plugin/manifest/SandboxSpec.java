package ai.clawbot.plugin.manifest;

/** The sandbox image the skill's tool server runs in (a local image name; no registry is consulted). */
public record SandboxSpec(String image) {
}
