package ai.clawbot.plugin.manifest;

import java.util.List;

/**
 * The sandbox image the skill's tool server runs in (a local image name; no registry is consulted) and the gateway
 * folders it asks to have mounted read-only ({@value #MCP_SERVERS}: the operator's provisioned MCP servers).
 */
public record SandboxSpec(String image, List<String> mounts) {

    /** {@code $OPENCLAW_STATE_DIR/mcp}, mounted read-only at {@value #MCP_SERVERS_MOUNT}. */
    public static final String MCP_SERVERS = "mcp-servers";
    public static final String MCP_SERVERS_MOUNT = "/opt/mcp";

    public SandboxSpec {
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    public SandboxSpec(String image) {
        this(image, List.of());
    }
}
