package ai.clawbot.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The warm pool's cap and idle timeout, on real containers. */
@ExtendWith(DockerRequired.class)
class WarmPoolTest {

    private static final DockerClient DOCKER = DockerClients.create();
    private static Path state;
    private static SkillCatalog catalog;
    private static LoadedSkill obsidian;

    @BeforeAll
    static void load() throws Exception {
        state = Files.createTempDirectory("claw-pool");
        TestGateway.copyBundled("trust/dev-publisher.pem", state.resolve("trust/keys/dev-publisher.pem"));
        TestGateway.copyBundled("plugins/obsidian.jar", state.resolve("plugins/obsidian.jar"));
        TestGateway.copyBundled("plugins/obsidian.jar.sig", state.resolve("plugins/obsidian.jar.sig"));
        Files.createDirectories(state.resolve("workspace"));
        Files.writeString(state.resolve("workspace/a.md"), "alpha\n");
        StateDir dir = new StateDir(state);
        dir.ensureRoot();
        catalog = SkillCatalog.load(dir);
        obsidian = catalog.find("obsidian").orElseThrow();
    }

    @AfterAll
    static void cleanup() throws Exception {
        catalog.close();
        TestGateway.deleteTree(state);
    }

    private static SandboxSettings settings(int maxLive, Duration idle) throws Exception {
        return SandboxSettings.detect(System.getenv(), "pooltest" + System.nanoTime()).withPool(maxLive, idle);
    }

    private static SandboxCall call(String scope) throws Exception {
        return new SandboxCall("default", scope, obsidian, "search",
                new ObjectMapper().readTree("{\"query\":\"a\"}"), state.resolve("workspace"), Map.of());
    }

    private static String containerOf(ToolOutcome o) {
        assertThat(o).as(o.toString()).isInstanceOf(ToolOutcome.Ok.class);
        return ((ToolOutcome.Ok) o).run().containerId();
    }

    private static boolean exists(String id) {
        return !DOCKER.listContainersCmd().withShowAll(true).withIdFilter(List.of(id)).exec().isEmpty();
    }

    @Test
    void theCapEvictsTheLeastRecentlyUsedIdleContainer() throws Exception {
        List<String> removed = new CopyOnWriteArrayList<>();
        SandboxObserver obs = new SandboxObserver() {
            @Override
            public void removed(String containerId) {
                removed.add(containerId);
            }
        };
        try (DockerSandbox sandbox = DockerSandbox.create(DOCKER, settings(2, Duration.ofMinutes(5)), obs)) {
            String a = containerOf(sandbox.call(call("a")));
            String b = containerOf(sandbox.call(call("b")));
            assertThat(containerOf(sandbox.call(call("a")))).as("a is reused and now most recent").isEqualTo(a);
            assertThat(sandbox.warmCount()).isEqualTo(2);
            String c = containerOf(sandbox.call(call("c")));
            assertThat(sandbox.warmCount()).isEqualTo(2);
            assertThat(removed).containsExactly(b);
            assertThat(exists(b)).isFalse();
            assertThat(exists(a)).isTrue();
            assertThat(exists(c)).isTrue();
        }
    }

    @Test
    void anIdleContainerIsStoppedAfterTheIdleTimeout() throws Exception {
        try (DockerSandbox sandbox = DockerSandbox.create(DOCKER, settings(4, Duration.ofMillis(800)), SandboxObserver.NONE)) {
            String a = containerOf(sandbox.call(call("idle")));
            assertThat(exists(a)).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (exists(a) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(exists(a)).as("reaped after idling").isFalse();
            assertThat(sandbox.warmCount()).isZero();
            assertThat(containerOf(sandbox.call(call("idle")))).as("a later call starts a fresh one").isNotEqualTo(a);
        }
    }

    @Test
    void aContainerKilledBehindThePoolsBackIsReplacedOnTheNextCall() throws Exception {
        try (DockerSandbox sandbox = DockerSandbox.create(DOCKER, settings(4, Duration.ofMinutes(5)), SandboxObserver.NONE)) {
            String a = containerOf(sandbox.call(call("pruned")));
            // e.g. `claw sandbox prune` from another process; the next call comes at once, before the pool's
            // streams may have noticed the container is gone
            DOCKER.removeContainerCmd(a).withForce(true).exec();
            String b = containerOf(sandbox.call(call("pruned")));
            assertThat(b).isNotEqualTo(a);
        }
    }

    @Test
    void aContainerStoppedBehindThePoolsBackIsReplacedOnTheNextCall() throws Exception {
        try (DockerSandbox sandbox = DockerSandbox.create(DOCKER, settings(4, Duration.ofMinutes(5)), SandboxObserver.NONE)) {
            String a = containerOf(sandbox.call(call("stopped")));
            DOCKER.killContainerCmd(a).exec(); // stopped, still there
            String b = containerOf(sandbox.call(call("stopped")));
            assertThat(b).isNotEqualTo(a);
            assertThat(exists(a)).as("the stopped one is removed").isFalse();
        }
    }

    @Test
    void aWarmCallAsksTheEngineNothing() throws Exception {
        // The liveness check before reuse goes over the container's own stdio (a ping), not through the engine.
        List<String> asked = new CopyOnWriteArrayList<>();
        DockerClient counting = (DockerClient) java.lang.reflect.Proxy.newProxyInstance(DockerClient.class.getClassLoader(),
                new Class<?>[] {DockerClient.class}, (proxy, method, args) -> {
                    asked.add(method.getName());
                    try {
                        return method.invoke(DOCKER, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (DockerSandbox sandbox = DockerSandbox.create(counting, settings(4, Duration.ofMinutes(5)), SandboxObserver.NONE)) {
            String a = containerOf(sandbox.call(call("quiet")));
            assertThat(asked).as("a cold start asks the engine").contains("createContainerCmd", "startContainerCmd");
            asked.clear();
            for (int i = 0; i < 3; i++) {
                assertThat(containerOf(sandbox.call(call("quiet")))).isEqualTo(a);
            }
            assertThat(asked).as("warm calls").isEmpty();
        }
    }
}
