package ai.clawbot.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.testkit.DockerRequired;
import com.github.dockerjava.api.DockerClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A start removes the sandbox containers and egress networks its own state folder left behind (a crash, a kill -9),
 * and nothing of another gateway's scope or outside the sandbox labels: with docker-java's client (the engine's raw
 * JSON is read) and with any other client (its typed commands).
 */
@org.junit.jupiter.api.extension.ExtendWith(DockerRequired.class)
class OrphanSweepTest {

    private static final DockerClient DOCKER = DockerClients.create();
    private final List<String> containers = new ArrayList<>();
    private final List<String> networks = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        containers.forEach(id -> {
            try {
                DOCKER.removeContainerCmd(id).withForce(true).exec();
            } catch (RuntimeException ignored) {
                // swept by the test already
            }
        });
        networks.forEach(id -> {
            try {
                DOCKER.removeNetworkCmd(id).exec();
            } catch (RuntimeException ignored) {
                // swept by the test already
            }
        });
    }

    private String container(Map<String, String> labels) {
        String id = DOCKER.createContainerCmd(DockerRequired.IMAGE).withLabels(labels).withCmd("true").exec().getId();
        containers.add(id);
        return id;
    }

    private String network(Map<String, String> labels) {
        String id = DOCKER.createNetworkCmd().withName("claw-sweep-" + System.nanoTime()).withInternal(true)
                .withLabels(labels).exec().getId();
        networks.add(id);
        return id;
    }

    private static boolean containerExists(String id) {
        return !DOCKER.listContainersCmd().withShowAll(true).withIdFilter(List.of(id)).exec().isEmpty();
    }

    private static boolean networkExists(String id) {
        return DOCKER.listNetworksCmd().exec().stream().anyMatch(n -> n.getId().equals(id));
    }

    @ParameterizedTest(name = "through {0}")
    @ValueSource(strings = {"docker-java's client", "another client"})
    void aStartRemovesWhatItsOwnScopeLeftAndNothingElse(String client) throws Exception {
        DockerClient docker = client.startsWith("docker-java") ? DOCKER : (DockerClient) java.lang.reflect.Proxy
                .newProxyInstance(DockerClient.class.getClassLoader(), new Class<?>[] {DockerClient.class},
                        (proxy, method, args) -> method.invoke(DOCKER, args));
        String scope = "sweep" + System.nanoTime();
        Map<String, String> mine = Map.of(HardenedContainer.LABEL_SANDBOX, "1", HardenedContainer.LABEL_SCOPE, scope);
        String mineA = container(mine);
        String mineB = container(mine);
        String otherScope = container(Map.of(HardenedContainer.LABEL_SANDBOX, "1", HardenedContainer.LABEL_SCOPE, scope + "x"));
        String notSandbox = container(Map.of(HardenedContainer.LABEL_SCOPE, scope));
        String myNetwork = network(mine);
        String otherNetwork = network(Map.of(HardenedContainer.LABEL_SANDBOX, "1", HardenedContainer.LABEL_SCOPE, scope + "x"));

        try (DockerSandbox ignored = DockerSandbox.create(docker, SandboxSettings.detect(System.getenv(), scope),
                SandboxObserver.NONE)) {
            assertThat(containerExists(mineA)).as("this scope's container").isFalse();
            assertThat(containerExists(mineB)).as("this scope's second container").isFalse();
            assertThat(networkExists(myNetwork)).as("this scope's egress network").isFalse();
            assertThat(containerExists(otherScope)).as("another gateway's container").isTrue();
            assertThat(containerExists(notSandbox)).as("a container without the sandbox label").isTrue();
            assertThat(networkExists(otherNetwork)).as("another gateway's network").isTrue();
        }
    }
}
