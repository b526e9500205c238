package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.secrets.FileVault;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.TestPluginJar;
import ai.clawbot.signing.Sha256;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Secrets reach only the skill that declares them, as files on tmpfs: never in env, labels, the
 * container's configuration, the tool result or anything left on the host afterwards.
 */
@ExtendWith(DockerRequired.class)
class SandboxSecretsTest {

    private static final DockerClient DOCKER = DockerClients.create();
    private static final String VALUE = "s3cr3t-" + System.nanoTime() + "-do-not-leak";
    private static final Map<String, InspectContainerResponse> INSPECTED = new ConcurrentHashMap<>();

    private static String manifest(String id, String secrets) {
        return """
                id: %s
                version: 1.0.0
                description: Reads secrets (tests only).
                tools:
                  - name: peek
                    description: Report what it can see of /run/secrets and the environment.
                    effect: secret
                    input: {type: object, properties: {name: {type: string}}}
                sandbox: {image: clawbot/skill-jre:17}
                permissions: {workspace: none, secrets: [%s]}
                network: none
                """.formatted(id, secrets);
    }

    private static final String SOURCE = """
            package %s;
            import ai.clawbot.plugin.api.*;
            import com.fasterxml.jackson.databind.node.*;
            import java.nio.file.*;
            import java.security.MessageDigest;
            import java.util.*;
            public class Peek implements Skill {
                public Map<String, ToolHandler> tools() {
                    return Map.of("peek", (args, ctx) -> {
                        ObjectNode o = JsonNodeFactory.instance.objectNode();
                        Path f = Path.of("/run/secrets", args.path("name").asText());
                        try {
                            byte[] b = Files.readAllBytes(f);
                            o.put("readable", true);
                            o.put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)));
                            o.put("writable", Files.isWritable(f));
                            try { Files.writeString(f, "x"); o.put("overwritten", true); } catch (Exception e) { o.put("overwritten", false); }
                        } catch (Exception e) {
                            o.put("readable", false);
                        }
                        StringBuilder env = new StringBuilder();
                        System.getenv().forEach((k, v) -> env.append(k).append('=').append(v).append('\\n'));
                        o.put("env", env.toString());
                        String[] listing = new java.io.File("/run/secrets").list();
                        o.put("listing", listing == null ? "" : String.join(",", new TreeSet<>(Arrays.asList(listing))));
                        return ToolResult.of("peeked", o);
                    });
                }
            }
            """;

    private static Path state;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        state = Files.createTempDirectory("claw-secrets");
        TestPluginJar.of("holder", "1.0.0", manifest("holder", "api_token"), "holder.Peek", SOURCE.formatted("holder"))
                .buildSignedAndTrusted(state.resolve("plugins"), state.resolve("trust"), "pub1");
        TestPluginJar.of("other", "1.0.0", manifest("other", "other_token"), "other.Peek", SOURCE.formatted("other"))
                .buildSignedAndTrusted(state.resolve("plugins"), state.resolve("trust"), "pub2");
        TestPluginJar.of("needy", "1.0.0", manifest("needy", "never_set"), "needy.Peek", SOURCE.formatted("needy"))
                .buildSignedAndTrusted(state.resolve("plugins"), state.resolve("trust"), "pub3");
        FileVault vault = FileVault.open(new StateDir(state), Map.of());
        vault.set("api_token", VALUE.getBytes(StandardCharsets.UTF_8));
        vault.set("other_token", "other-value".getBytes(StandardCharsets.UTF_8));
        TestGateway.preApprove(state, "holder.peek", "other.peek", "needy.peek"); // secret effect: not about approvals here
        gateway = TestGateway.start(state, new SandboxObserver() {
            @Override
            public void started(String containerId, SandboxCall call) {
                INSPECTED.put(containerId, DOCKER.inspectContainerCmd(containerId).exec());
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
            var folders = INSPECTED.values().stream().flatMap(c -> c.getMounts().stream())
                    .filter(m -> m.getDestination().getPath().equals("/run/secrets")).map(m -> Path.of(m.getSource())).toList();
            assertThat(folders).isNotEmpty();
            assertThat(folders).as("secret folders are wiped with their containers").noneMatch(Files::exists);
        }
        TestGateway.deleteTree(state);
    }

    private static JsonNode peek(String skill, String name) throws Exception {
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            ObjectNode p = ProtocolClient.params().put("skill", skill).put("tool", "peek");
            p.putObject("args").put("name", name);
            return c.request("tools.invoke", p);
        }
    }

    @Test
    void theDeclaringSkillReadsItsSecretAsAReadOnlyFileAndItIsNowhereElse() throws Exception {
        JsonNode res = peek("holder", "api_token");
        assertThat(res.path("ok").asBoolean()).as(res.toString()).isTrue();
        JsonNode p = res.at("/payload/structured");
        assertThat(p.path("readable").asBoolean()).isTrue();
        assertThat(p.path("sha256").asText()).isEqualTo(Sha256.hex(VALUE.getBytes(StandardCharsets.UTF_8)));
        assertThat(p.path("overwritten").asBoolean()).isFalse();
        assertThat(p.path("listing").asText()).isEqualTo("api_token");
        assertThat(p.path("env").asText()).doesNotContain(VALUE).doesNotContain("api_token");
        assertThat(res.toString()).doesNotContain(VALUE);

        InspectContainerResponse c = INSPECTED.get(res.at("/payload/sandbox/containerId").asText());
        assertThat(c).isNotNull();
        String inspect = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(c);
        assertThat(inspect).as("docker inspect").doesNotContain(VALUE);
        assertThat(c.getConfig().getEnv()).noneMatch(e -> e.contains(VALUE));
        assertThat(c.getMounts()).anySatisfy(m -> {
            assertThat(m.getDestination().getPath()).isEqualTo("/run/secrets");
            assertThat(m.getRW()).isFalse();
            assertThat(m.getSource()).startsWith("/dev/shm/");
            assertThat(Files.exists(Path.of(m.getSource(), "api_token"))).isTrue();
        });
    }

    @Test
    void anotherSkillCannotReadItEvenByName() throws Exception {
        JsonNode res = peek("other", "api_token");
        assertThat(res.path("ok").asBoolean()).as(res.toString()).isTrue();
        JsonNode p = res.at("/payload/structured");
        assertThat(p.path("readable").asBoolean()).isFalse();
        assertThat(p.path("listing").asText()).isEqualTo("other_token");
        assertThat(res.toString()).doesNotContain(VALUE);
    }

    @Test
    void aDeclaredSecretMissingFromTheVaultStartsNoContainerAndSaysWhich() throws Exception {
        int before = INSPECTED.size();
        JsonNode res = peek("needy", "never_set");
        assertThat(res.path("ok").asBoolean()).isFalse();
        assertThat(res.at("/error/details/code").asText()).isEqualTo("SECRET_UNAVAILABLE");
        assertThat(res.at("/error/message").asText()).contains("never_set");
        assertThat(INSPECTED).hasSize(before);
    }

    @Test
    void rotatingASecretGivesTheNextCallAFreshContainerWithTheNewValue() throws Exception {
        JsonNode first = peek("other", "other_token");
        String id = first.at("/payload/sandbox/containerId").asText();
        FileVault.open(new StateDir(state), Map.of()).set("other_token", "rotated".getBytes(StandardCharsets.UTF_8));
        JsonNode second = peek("other", "other_token");
        assertThat(second.at("/payload/sandbox/containerId").asText()).isNotEqualTo(id);
        assertThat(second.at("/payload/structured/sha256").asText()).isEqualTo(Sha256.hex("rotated".getBytes(StandardCharsets.UTF_8)));
    }
}
