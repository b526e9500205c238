package ai.clawbot.host.security;

import ai.clawbot.host.sandbox.SandboxSettings;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code --deep}: every live sandbox container of this state folder (labels {@code ai.clawbot.sandbox=1} and its
 * {@code ai.clawbot.scope}) against the hardened flags the gateway creates them with (see
 * {@code sandbox/HardenedContainer}): something else made it, or changed it, if one deviates.
 */
record SandboxContainerCheck() implements AuditCheck {

    static final String ID = "sandbox.container_not_hardened";

    @Override
    public boolean deepOnly() {
        return true;
    }

    @Override
    public List<Finding> run(AuditContext c) {
        if (c.docker().isEmpty()) {
            return List.of(Finding.warn(ID, "Docker engine not reachable: live sandboxes not inspected",
                    "--deep needs the engine", "start dockerd (or set DOCKER_HOST) and run the audit again"));
        }
        DockerClient d = c.docker().get();
        List<Container> live = d.listContainersCmd().withLabelFilter(Map.of("ai.clawbot.sandbox", "1",
                "ai.clawbot.scope", SandboxSettings.scopeOf(c.state().root()))).exec();
        List<Finding> out = new ArrayList<>();
        for (Container ct : live) {
            InspectContainerResponse i = d.inspectContainerCmd(ct.getId()).exec();
            List<String> deviations = deviations(d, i);
            if (!deviations.isEmpty()) {
                String name = ct.getId().substring(0, 12) + " (skill " + ct.getLabels().getOrDefault("ai.clawbot.skill", "?") + ")";
                out.add(Finding.critical(ID, "sandbox container " + name + " is not hardened",
                        String.join("; ", deviations),
                        "remove it (claw sandbox prune) and find what created it: the gateway never does"));
            }
        }
        out.add(Finding.info(ID, live.size() + " live sandbox container" + (live.size() == 1 ? "" : "s") + " inspected", ""));
        return out;
    }

    static List<String> deviations(DockerClient d, InspectContainerResponse i) {
        List<String> out = new ArrayList<>();
        HostConfig h = i.getHostConfig();
        Capability[] drop = h.getCapDrop();
        if (drop == null || Arrays.stream(drop).noneMatch(cap -> cap == Capability.ALL)) {
            out.add("capabilities not dropped (cap-drop ALL missing)");
        }
        if (h.getCapAdd() != null && h.getCapAdd().length > 0) {
            out.add("capabilities added: " + Arrays.toString(h.getCapAdd()));
        }
        if (!Boolean.TRUE.equals(h.getReadonlyRootfs())) {
            out.add("root filesystem is writable");
        }
        if (h.getSecurityOpts() == null || h.getSecurityOpts().stream().noneMatch(o -> o.startsWith("no-new-privileges")
                && !o.endsWith("false"))) {
            out.add("no-new-privileges not set");
        }
        if (Boolean.TRUE.equals(h.getPrivileged())) {
            out.add("privileged");
        }
        String user = i.getConfig().getUser();
        if (user == null || user.isBlank() || user.equals("0") || user.startsWith("0:") || user.equals("root")) {
            out.add("runs as root (user '" + (user == null ? "" : user) + "')");
        }
        String net = h.getNetworkMode();
        if (net == null || !net.equals("none") && !internal(d, net)) {
            out.add("network '" + net + "' is neither none nor an internal network");
        }
        if (h.getPidsLimit() == null || h.getPidsLimit() <= 0) {
            out.add("no pids limit");
        }
        if (h.getMemory() == null || h.getMemory() <= 0) {
            out.add("no memory limit");
        }
        return out;
    }

    private static boolean internal(DockerClient d, String network) {
        try {
            return Boolean.TRUE.equals(d.inspectNetworkCmd().withNetworkId(network).exec().getInternal());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
