package ai.clawbot.host.sandbox;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How sandboxes are made on this host.
 *
 * @param runtimeLib     folder of the tool-server runtime jars (plugin-api and its dependencies), mounted
 *                       read-only at {@code /opt/claw/lib}
 * @param user           the container user ({@code uid:gid}); never root
 * @param maxOutputBytes stdout allowance per call; past it the container is killed
 * @param scope          a label value naming this gateway's state folder, so orphan sweeps touch only its own
 * @param maxLive        cap on live (warm or busy) containers
 * @param idleTimeout    a warm container without calls for this long is stopped
 * @param mcpServers     {@code $OPENCLAW_STATE_DIR/mcp} (the provisioned MCP servers), mounted read-only for skills
 *                       whose manifest asks for {@code sandbox.mounts: [mcp-servers]}; null: none
 */
public record SandboxSettings(Path runtimeLib, String user, long maxOutputBytes, String scope, int maxLive,
                              java.time.Duration idleTimeout, WorkspacePolicy workspaces,
                              ai.clawbot.host.sandbox.egress.Resolver egressResolver, Path mcpServers) {

    public static final long DEFAULT_MAX_OUTPUT = 8L * 1024 * 1024;
    public static final int DEFAULT_MAX_LIVE = 16;
    public static final java.time.Duration DEFAULT_IDLE = java.time.Duration.ofMinutes(5);

    public SandboxSettings {
        if (user.equals("0") || user.startsWith("0:") || user.equals("root")) {
            throw new IllegalArgumentException("sandboxes never run as root");
        }
        if (maxLive < 1) {
            throw new IllegalArgumentException("sandbox.maxLive must be at least 1");
        }
    }

    /**
     * The {@code scope} label of the gateway whose state folder is {@code stateRoot}: its containers, and only
     * those, are its own to sweep (several gateways may share one Docker engine).
     */
    public static String scopeOf(Path stateRoot) {
        return ai.clawbot.signing.Sha256.hex(stateRoot.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .substring(0, 16);
    }

    /** Settings for this machine: runtime jars beside the host's code, the gateway's own uid unless it is root. */
    public static SandboxSettings detect(Map<String, String> env, String scope) throws IOException {
        return detect(env, scope, Path.of(System.getProperty("user.home"), ".openclaw"));
    }

    /** As {@link #detect(Map, String)}, for a gateway whose state folder is {@code stateRoot}. */
    public static SandboxSettings detect(Map<String, String> env, String scope, Path stateRoot) throws IOException {
        Path lib = env.containsKey("CLAW_SANDBOX_LIB") ? Path.of(env.get("CLAW_SANDBOX_LIB")) : defaultRuntimeLib();
        if (!Files.isDirectory(lib)) {
            throw new IOException("sandbox runtime folder " + lib + " is missing; build with ./mvnw package (or set CLAW_SANDBOX_LIB)");
        }
        return new SandboxSettings(lib.toRealPath(), containerUser(), DEFAULT_MAX_OUTPUT, scope, DEFAULT_MAX_LIVE, DEFAULT_IDLE,
                WorkspacePolicy.create(Path.of(System.getProperty("user.home")), stateRoot),
                ai.clawbot.host.sandbox.egress.Resolver.system(), stateRoot.resolve("mcp"));
    }

    public SandboxSettings withPool(int maxLive, java.time.Duration idleTimeout) {
        return new SandboxSettings(runtimeLib, user, maxOutputBytes, scope, maxLive, idleTimeout, workspaces, egressResolver, mcpServers);
    }

    /** Tests map names like {@code allowed.test} to local servers; production uses the system resolver. */
    public SandboxSettings withEgressResolver(ai.clawbot.host.sandbox.egress.Resolver resolver) {
        return new SandboxSettings(runtimeLib, user, maxOutputBytes, scope, maxLive, idleTimeout, workspaces, resolver, mcpServers);
    }

    /** {@code host/target/sandbox-lib}: beside {@code claw-host.jar}, or beside {@code target/classes} in a build. */
    static Path defaultRuntimeLib() throws IOException {
        try {
            Path code = Path.of(SandboxSettings.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.getParent().resolve("sandbox-lib");
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** The gateway's uid:gid, or nobody (65534) when the gateway itself runs as root. */
    static String containerUser() throws IOException {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        int gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
        return uid == 0 ? "65534:65534" : uid + ":" + gid;
    }
}
