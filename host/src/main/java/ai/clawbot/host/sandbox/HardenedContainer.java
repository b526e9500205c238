package ai.clawbot.host.sandbox;

import ai.clawbot.plugin.manifest.Permissions;
import ai.clawbot.plugin.manifest.Resources;
import ai.clawbot.plugin.manifest.SandboxSpec;
import ai.clawbot.plugin.manifest.WorkspaceAccess;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place sandbox containers are specified. Defaults are the hardened ones and a manifest can only
 * pick within them: all capabilities dropped, read-only root, no-new-privileges, Docker's default seccomp
 * profile, a non-root user, no network, pids/memory (no swap)/CPU limits, a small noexec tmpfs {@code /tmp}.
 */
final class HardenedContainer {

    static final String LABEL_SANDBOX = "ai.clawbot.sandbox";
    static final String LABEL_SCOPE = "ai.clawbot.scope";
    static final String LABEL_SKILL = "ai.clawbot.skill";
    static final String LABEL_KEY = "ai.clawbot.key";
    static final String RUNTIME_LIB = "/opt/claw/lib";
    static final String PLUGIN_JAR = "/opt/claw/plugin/plugin.jar";
    static final String WORKSPACE = "/workspace";

    private HardenedContainer() {
    }

    static HostConfig hostConfig(SandboxCall call, SandboxSettings settings, Path secretDir, Path settingsDir,
                                 EgressNetwork egress) throws IOException {
        Permissions p = call.skill().manifest().permissions();
        Resources r = p.resources();
        List<Bind> binds = new ArrayList<>();
        binds.add(new Bind(settings.runtimeLib().toString(), new Volume(RUNTIME_LIB), AccessMode.ro));
        binds.add(new Bind(call.skill().verifiedJar().toString(), new Volume(PLUGIN_JAR), AccessMode.ro));
        if (secretDir != null) {
            binds.add(new Bind(secretDir.toString(), new Volume(SecretMounts.MOUNT_POINT), AccessMode.ro));
        }
        if (settingsDir != null) {
            binds.add(new Bind(settingsDir.toString(), new Volume(SecretMounts.SETTINGS_MOUNT_POINT), AccessMode.ro));
        }
        if (call.skill().manifest().sandbox().mounts().contains(SandboxSpec.MCP_SERVERS) && settings.mcpServers() != null) {
            // Provisioned on the host by `claw mcp add`; read-only, so a server cannot rewrite its own code.
            Files.createDirectories(settings.mcpServers());
            binds.add(new Bind(settings.mcpServers().toRealPath().toString(), new Volume(SandboxSpec.MCP_SERVERS_MOUNT),
                    AccessMode.ro));
        }
        if (p.workspace() != WorkspaceAccess.NONE) {
            Path ws = call.workspace().toRealPath();
            binds.add(new Bind(ws.toString(), new Volume(WORKSPACE), p.workspace() == WorkspaceAccess.RW ? AccessMode.rw : AccessMode.ro));
        }
        return HostConfig.newHostConfig()
                .withCapDrop(Capability.ALL)
                .withReadonlyRootfs(true)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withNetworkMode(egress == null ? "none" : egress.networkId())
                .withPidsLimit((long) r.pids())
                .withMemory(r.memoryBytes())
                .withMemorySwap(r.memoryBytes())
                .withNanoCPUs((long) (r.cpus() * 1_000_000_000L))
                .withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,nodev,size=64m"))
                .withBinds(binds)
                .withIpcMode("none")
                // stdio is read through the attach stream; a log driver would copy everything a sandbox
                // writes (stderr included, unbounded) onto the host's disk.
                .withLogConfig(new LogConfig(LogConfig.LoggingType.NONE))
                // A tiny init as PID 1 reaps orphaned children, which would otherwise eat the pids limit.
                .withInit(true)
                .withPrivileged(false);
    }

    static Map<String, String> labels(SandboxSettings settings, SandboxCall call) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_SANDBOX, "1");
        labels.put(LABEL_SCOPE, settings.scope());
        labels.put(LABEL_SKILL, call.skill().id());
        return labels;
    }

    /** Creates (does not start) the container; returns its id. */
    static String create(DockerClient docker, SandboxCall call, SandboxSettings settings, String imageId, PoolKey key,
                         Path secretDir, Path settingsDir, EgressNetwork egress) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("java",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-XX:MaxRAMPercentage=60", "-Xss512k"));
        if (egress != null) {
            cmd.addAll(egress.jvmFlags());
        }
        cmd.addAll(List.of("-cp", RUNTIME_LIB + "/*:" + PLUGIN_JAR,
                "ai.clawbot.plugin.runtime.ToolServerMain", "--workspace", WORKSPACE));
        // Settings travel as a read-only file (settingsDir), never here: docker inspect shows the command line.
        Map<String, String> labels = labels(settings, call);
        labels.put(LABEL_KEY, key.label());
        labels.put("ai.clawbot.image", call.skill().manifest().sandbox().image());
        // By image id: the name was resolved locally once; a retag between calls cannot swap the image.
        return docker.createContainerCmd(imageId)
                .withUser(settings.user())
                .withCmd(cmd)
                .withEnv(egress == null ? List.of() : egress.env())
                .withWorkingDir(WORKSPACE)
                .withLabels(labels)
                .withNetworkDisabled(egress == null)
                .withTty(false)
                .withStdinOpen(true)
                .withStdInOnce(false)
                .withAttachStdin(true)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .withHostConfig(hostConfig(call, settings, secretDir, settingsDir, egress))
                .exec()
                .getId();
    }
}
