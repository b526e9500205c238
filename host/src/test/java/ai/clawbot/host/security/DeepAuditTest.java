package ai.clawbot.host.security;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.SandboxSettings;
import ai.clawbot.host.testkit.DockerRequired;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --deep} on real containers labelled as this state folder's sandboxes: one made like the gateway makes them
 * passes, one made loose (root, writable root, capabilities, default bridge, no limits) is reported with each deviation.
 */
@ExtendWith(DockerRequired.class)
class DeepAuditTest {

    @TempDir
    Path tmp;

    @Test
    void aLooseSandboxContainerIsCriticalAndAHardenedOnePasses() throws Exception {
        StateDir state = new StateDir(tmp.resolve("state"));
        Files.createDirectories(state.root());
        DockerClient d = DockerClients.create();
        Map<String, String> labels = Map.of("ai.clawbot.sandbox", "1", "ai.clawbot.scope", SandboxSettings.scopeOf(state.root()),
                "ai.clawbot.skill", "audit-test");
        String loose = d.createContainerCmd(DockerRequired.IMAGE).withCmd("sleep", "120").withLabels(labels).withUser("0")
                .withHostConfig(HostConfig.newHostConfig().withAutoRemove(true).withNetworkMode("bridge")).exec().getId();
        String hardened = d.createContainerCmd(DockerRequired.IMAGE).withCmd("sleep", "120").withLabels(labels)
                .withUser("65534:65534").withNetworkDisabled(true)
                .withHostConfig(HostConfig.newHostConfig().withAutoRemove(true).withCapDrop(Capability.ALL)
                        .withReadonlyRootfs(true).withSecurityOpts(List.of("no-new-privileges")).withNetworkMode("none")
                        .withPidsLimit(32L).withMemory(64L << 20)).exec().getId();
        try {
            d.startContainerCmd(loose).exec();
            d.startContainerCmd(hardened).exec();
            AuditReport r;
            try (AuditContext c = AuditContext.load(state, Map.of(), true)) {
                r = SecurityAudit.create().run(c);
            }
            List<Finding> bad = r.withId(SandboxContainerCheck.ID).stream()
                    .filter(f -> f.severity() == Severity.CRITICAL).toList();
            assertThat(bad).as(r.toText()).singleElement().satisfies(f -> {
                assertThat(f.title()).contains(loose.substring(0, 12)).contains("audit-test");
                assertThat(f.detail()).contains("cap-drop ALL missing", "root filesystem is writable", "no-new-privileges",
                        "runs as root", "network 'bridge'", "no pids limit", "no memory limit");
            });
            assertThat(r.toText()).contains("2 live sandbox containers inspected");
            try (AuditContext shallow = AuditContext.load(state, Map.of(), false)) {
                assertThat(SecurityAudit.create().run(shallow).withId(SandboxContainerCheck.ID)).isEmpty();
            }
        } finally {
            for (String id : List.of(loose, hardened)) {
                try {
                    d.removeContainerCmd(id).withForce(true).exec();
                } catch (RuntimeException gone) {
                    // auto-removed already
                }
            }
            d.close();
        }
    }
}
