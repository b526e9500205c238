package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole skill-call path against real parts: the gateway on a real port, a real WebSocket client,
 * the bundled plugin signed at build time and verified at load, and the tool run in a real hardened
 * container whose configuration is read back from the Docker engine while it runs.
 */
@ExtendWith(DockerRequired.class)
class GatewayEndToEndTest {

    private static final DockerClient DOCKER = DockerClients.create();
    private static final List<InspectContainerResponse> INSPECTED = new CopyOnWriteArrayList<>();
    private static final List<String> REMOVED = new CopyOnWriteArrayList<>();

    private static Path state;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        state = Files.createTempDirectory("claw-e2e");
        Path vault = state.resolve("workspace");
        write(vault.resolve("Projects/Gateway.md"), "# Gateway\nThe gateway verifies every plugin Signature.\nIt runs skills in containers.\n");
        write(vault.resolve("Daily/2026-11-23.md"), "Met Ana about signature checks.\nLunch.\nMore signature talk later.\n");
        write(vault.resolve("Recipes/Bread.md"), "Flour, water, salt.\n");
        write(vault.resolve(".obsidian/hidden.md"), "a signature in a hidden folder\n");
        gateway = TestGateway.start(state, new SandboxObserver() {
            @Override
            public void started(String containerId, SandboxCall call) {
                INSPECTED.add(DOCKER.inspectContainerCmd(containerId).exec()); // `docker inspect`, live
            }

            @Override
            public void removed(String containerId) {
                REMOVED.add(containerId);
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
            // Warm containers live until the gateway stops; then nothing may be left behind.
            assertThat(sandboxContainers()).isEmpty();
            assertThat(REMOVED).containsAll(INSPECTED.stream().map(InspectContainerResponse::getId).toList());
        }
        TestGateway.deleteTree(state);
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static List<Container> sandboxContainers() {
        return DOCKER.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("ai.clawbot.sandbox", "1", "ai.clawbot.scope", ai.clawbot.host.sandbox.SandboxSettings.scopeOf(state))).exec();
    }

    @Test
    void listsTheVerifiedSkillThenSearchesTheVaultInAHardenedContainerAndLeavesNoContainer() throws Exception {
        try (ProtocolClient client = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode list = client.request("skills.list");
            assertThat(list.path("ok").asBoolean()).as(list.toString()).isTrue();
            JsonNode obsidian = null;
            for (JsonNode s : list.at("/payload/skills")) {
                obsidian = s.path("id").asText().equals("obsidian") ? s : obsidian;
            }
            assertThat(obsidian).as(list.toString()).isNotNull();
            assertThat(obsidian.path("version").asText()).isEqualTo("0.1.0");
            assertThat(obsidian.at("/signer/keyId").asText()).matches("[0-9a-f]{64}");
            assertThat(obsidian.at("/signer/name").asText()).isEqualTo("dev-publisher");
            assertThat(obsidian.path("tools").findValuesAsText("name")).containsExactly("search", "search_content", "read", "create");
            assertThat(obsidian.at("/permissions/workspace").asText()).isEqualTo("rw");
            assertThat(obsidian.path("network").asText()).isEqualTo("none");

            int before = INSPECTED.size();
            ObjectNode params = ProtocolClient.params().put("skill", "obsidian").put("tool", "search_content");
            params.putObject("args").put("query", "signature");
            JsonNode res = client.request("tools.invoke", params);

            assertThat(res.path("ok").asBoolean()).as(res.toString()).isTrue();
            JsonNode payload = res.path("payload");
            assertThat(payload.path("isError").asBoolean()).isFalse();
            JsonNode matches = payload.at("/structured/matches");
            assertThat(matches.findValuesAsText("path")).containsExactly("Daily/2026-11-23.md", "Projects/Gateway.md");
            JsonNode daily = matches.get(0);
            assertThat(daily.path("matches").asInt()).isEqualTo(2);
            assertThat(daily.at("/snippets/0/line").asInt()).isEqualTo(1);
            assertThat(daily.at("/snippets/0/text").asText()).isEqualTo("Met Ana about signature checks.");
            assertThat(daily.at("/snippets/1/line").asInt()).isEqualTo(3);
            assertThat(matches.get(1).at("/snippets/0/text").asText()).isEqualTo("The gateway verifies every plugin Signature.");
            assertThat(payload.path("text").asText()).contains("Projects/Gateway.md").doesNotContain("hidden");

            // The call ran in a container, configured with the hardened flags (read back from the engine).
            assertThat(INSPECTED).hasSize(before + 1);
            InspectContainerResponse c = INSPECTED.get(before);
            assertThat(c.getId()).isEqualTo(payload.at("/sandbox/containerId").asText());
            assertThat(c.getState().getRunning()).isTrue();
            var host = c.getHostConfig();
            assertThat(host.getCapDrop()).extracting(Object::toString).containsExactly("ALL");
            assertThat(host.getCapAdd()).isNullOrEmpty();
            assertThat(host.getReadonlyRootfs()).isTrue();
            assertThat(host.getSecurityOpts()).contains("no-new-privileges");
            assertThat(host.getPrivileged()).isFalse();
            assertThat(host.getNetworkMode()).isEqualTo("none");
            assertThat(host.getPidsLimit()).isEqualTo(64L);
            assertThat(host.getMemory()).isEqualTo(256L * 1024 * 1024);
            assertThat(host.getMemorySwap()).isEqualTo(host.getMemory());
            assertThat(host.getNanoCPUs()).isEqualTo(1_000_000_000L);
            assertThat(host.getTmpFs()).containsKey("/tmp");
            assertThat(host.getLogConfig().getType().getType()).as("nothing a sandbox prints lands on the host disk").isEqualTo("none");
            assertThat(host.getInit()).as("an init reaps orphans").isTrue();
            assertThat(host.getTmpFs().get("/tmp")).contains("noexec").contains("nosuid");
            assertThat(c.getConfig().getUser()).isNotBlank().doesNotStartWith("0").isNotEqualTo("root");
            assertThat(c.getConfig().getEnv()).noneMatch(e -> e.contains(TestGateway.TOKEN));
            assertThat(c.getConfig().getImage()).as("created by the image id resolved locally")
                    .isEqualTo(DOCKER.inspectImageCmd(DockerRequired.IMAGE).exec().getId());
            assertThat(c.getConfig().getLabels()).containsEntry("ai.clawbot.skill", "obsidian")
                    .containsEntry("ai.clawbot.image", DockerRequired.FAMILY);
            assertThat(c.getMounts()).anySatisfy(m -> {
                assertThat(m.getDestination().getPath()).isEqualTo("/opt/claw/plugin/plugin.jar");
                assertThat(m.getRW()).isFalse();
            });
            assertThat(c.getMounts()).anySatisfy(m -> {
                assertThat(m.getDestination().getPath()).isEqualTo("/opt/claw/lib");
                assertThat(m.getRW()).isFalse();
            });
            assertThat(c.getMounts()).anySatisfy(m -> {
                assertThat(m.getDestination().getPath()).isEqualTo("/workspace");
                assertThat(m.getRW()).isTrue(); // the manifest asks for rw
            });

            // The container stays warm: the next call of the same agent and scope reuses it, starting nothing.
            JsonNode again = client.request("tools.invoke", params);
            assertThat(again.at("/payload/sandbox/containerId").asText()).isEqualTo(c.getId());
            assertThat(INSPECTED).hasSize(before + 1);
            assertThat(again.at("/payload/sandbox/durationMs").asLong())
                    .as("a warm call skips the JVM start").isLessThan(payload.at("/sandbox/durationMs").asLong());

            // Another session scope gets its own container.
            ObjectNode other = params.deepCopy().put("sessionKey", "agent:default:other");
            JsonNode separate = client.request("tools.invoke", other);
            assertThat(separate.at("/payload/sandbox/containerId").asText()).isNotEqualTo(c.getId());
            assertThat(INSPECTED).hasSize(before + 2);
        }
    }

    @Test
    void readAndCreateRoundTripThroughTheSandboxAndCreateRefusesToOverwrite() throws Exception {
        try (ProtocolClient client = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            Files.setPosixFilePermissions(state.resolve("workspace"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            ObjectNode create = ProtocolClient.params().put("skill", "obsidian").put("tool", "create");
            create.putObject("args").put("path", "Inbox/New idea").put("content", "Signed skills only.\n");
            JsonNode created = client.request("tools.invoke", create);
            assertThat(created.at("/payload/isError").asBoolean()).as(created.toString()).isFalse();
            assertThat(created.at("/payload/structured/path").asText()).isEqualTo("Inbox/New idea.md");
            assertThat(Files.readString(state.resolve("workspace/Inbox/New idea.md"))).isEqualTo("Signed skills only.\n");

            JsonNode again = client.request("tools.invoke", create);
            assertThat(again.at("/payload/isError").asBoolean()).as(again.toString()).isTrue();
            assertThat(again.at("/payload/text").asText()).startsWith("EXISTS");
            assertThat(Files.readString(state.resolve("workspace/Inbox/New idea.md"))).isEqualTo("Signed skills only.\n");

            ObjectNode read = ProtocolClient.params().put("skill", "obsidian").put("tool", "read");
            read.putObject("args").put("path", "../openclaw.json");
            JsonNode escape = client.request("tools.invoke", read);
            assertThat(escape.at("/payload/isError").asBoolean()).as(escape.toString()).isTrue();
            assertThat(escape.at("/payload/text").asText()).startsWith("OUTSIDE_VAULT");
            assertThat(escape.toString()).doesNotContain(TestGateway.TOKEN);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown skill          | nope     | search         | {\"query\":\"x\"}          | NOT_FOUND       | UNKNOWN_SKILL",
            "unknown tool           | obsidian | delete_all     | {\"query\":\"x\"}          | NOT_FOUND       | UNKNOWN_TOOL",
            "missing required arg   | obsidian | search_content | {}                         | INVALID_REQUEST | INVALID_ARGS",
            "wrong arg type         | obsidian | search_content | {\"query\":42}             | INVALID_REQUEST | INVALID_ARGS",
            "undeclared arg         | obsidian | search         | {\"query\":\"x\",\"rm\":1} | INVALID_REQUEST | INVALID_ARGS",
            "arg over its bound     | obsidian | search         | {\"query\":\"x\",\"limit\":100000} | INVALID_REQUEST | INVALID_ARGS",
            "args not an object     | obsidian | search         | [1,2]                      | INVALID_REQUEST | INVALID_ARGS",
    })
    void badInvokeInputGetsATypedErrorAndStartsNoContainer(String name, String skill, String tool, String args,
                                                           String code, String detail) throws Exception {
        try (ProtocolClient client = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            int before = INSPECTED.size();
            int containers = sandboxContainers().size();
            ObjectNode params = ProtocolClient.params().put("skill", skill).put("tool", tool);
            params.set("args", new com.fasterxml.jackson.databind.ObjectMapper().readTree(args));
            JsonNode res = client.request("tools.invoke", params);
            assertThat(res.path("ok").asBoolean()).as(res.toString()).isFalse();
            assertThat(res.at("/error/code").asText()).isEqualTo(code);
            assertThat(res.at("/error/details/code").asText()).isEqualTo(detail);
            assertThat(res.at("/error/message").asText()).isNotBlank();
            if (detail.equals("INVALID_ARGS") && !args.startsWith("[")) {
                assertThat(res.at("/error/details/violations/0/path").asText()).startsWith("$");
            }
            assertThat(INSPECTED).hasSize(before);
            assertThat(sandboxContainers()).hasSize(containers);
            // The connection is still usable after a refused call.
            assertThat(client.request("health").at("/payload/ok").asBoolean()).isTrue();
        }
    }
}
