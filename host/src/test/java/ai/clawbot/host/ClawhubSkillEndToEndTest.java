package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.policy.PreApprovals;
import ai.clawbot.host.registry.Registries;
import ai.clawbot.host.registry.RegistryFolder;
import ai.clawbot.host.registry.RegistryServer;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.ReactorJars;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.TestPluginJar;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSigner;
import ai.clawbot.signing.TrustStore;
import ai.clawbot.testkit.model.LocalModelServer;
import ai.clawbot.testkit.model.ToolCallingModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The clawhub skill and the install-request flow end to end, every part real but the model (a scripted local
 * OpenAI-compatible server): a registry built with {@code publish} and served by {@code RegistryServer}, configured
 * for the gateway with its index key; the clawhub skill installed signed, searching the registry from its sandbox
 * through the egress proxy; an agent run whose model asks {@code clawhub.install} → the gateway verifies the plugin
 * and asks the operator with the preview and diff → deny, no answer, and an agent whose {@code autoApprove} is
 * {@code *} each install nothing; an operator's yes installs it. One gateway for the class.
 */
@ExtendWith(DockerRequired.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClawhubSkillEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration APPROVAL_TIMEOUT = Duration.ofSeconds(5);
    private static final String DEMO = """
            id: demo-notes
            version: 1.0.0
            description: Demo notes skill for the registry.
            tools:
              - name: hello
                description: Say hello.
                effect: read
                input: {type: object}
            sandbox: {image: skill-jre}
            permissions: {workspace: none}
            network: none
            """;

    private Path state;
    private KeyPair publisher;
    private KeyPair registryKey;
    private String publisherKeyId;
    private RegistryServer registry;
    private LocalModelServer model;
    private Gateway gateway;

    @BeforeAll
    void start() throws Exception {
        state = Files.createTempDirectory("claw-clawhub-e2e");
        publisher = Keys.generate();
        registryKey = Keys.generate();
        publisherKeyId = Keys.keyId(publisher.getPublic());
        TrustStore.open(state.resolve("trust")).add(publisher.getPublic(), "publisher");

        Path build = Files.createDirectories(state.resolve("build"));
        Path demo = TestPluginJar.of("demo-notes", "1.0.0", DEMO, "demo_notes.Hello", """
                package demo_notes;
                import ai.clawbot.plugin.api.*;
                import java.util.Map;
                public class Hello implements Skill {
                    public Map<String, ToolHandler> tools() { return Map.of("hello", (a, c) -> ToolResult.text("hello")); }
                }
                """).build(build);
        sign(demo, publisher);
        Path folder = state.resolve("registry");
        RegistryFolder.at(folder).publish(demo, registryKey, Duration.ofDays(7), Instant.now());
        registry = RegistryServer.start(folder, "127.0.0.1", 0);
        String url = "http://127.0.0.1:" + registry.port() + "/";
        Registries.open(state.resolve("trust")).add("local", url, List.of(registryKey.getPublic()));

        Path clawhub = Files.createDirectories(state.resolve("plugins")).resolve("clawhub.jar");
        Files.copy(ReactorJars.plugin("clawhub"), clawhub);
        sign(clawhub, publisher);

        ToolCallingModel install = ToolCallingModel.calling("call_install", "clawhub__install", "{\"id\":\"demo-notes\"}")
                .onlyWhenAskedWith("install demo-notes");
        ToolCallingModel update = ToolCallingModel.calling("call_update", "clawhub__update", "{\"id\":\"demo-notes\"}")
                .onlyWhenAskedWith("update demo-notes");
        model = LocalModelServer.start((request, exchange) ->
                (request.body().contains("update demo-notes") ? update : install).respond(request, exchange));
        Files.writeString(state.resolve("openclaw.json"), """
                {"models": {"providers": {"local": {"api": "openai-compatible", "baseUrl": "%s", "models": ["test-model"]}},
                            "routing": {"planner": "local/test-model"}},
                 "plugins": {"entries": {"clawhub": {"config": {"registry_url": "%s"}}}},
                 "agents": {"list": [{"id": "default", "default": true},
                                     {"id": "auto", "approvals": {"autoApprove": ["*"]}}]}}
                """.formatted(model.v1Url(), url));
        gateway = TestGateway.start(state, Gateway.Options.defaults().approvalTimeout(APPROVAL_TIMEOUT));
        assertThat(gateway.catalog().skills()).extracting(s -> s.id()).contains("clawhub");
    }

    private static void sign(Path jar, KeyPair key) throws Exception {
        Files.write(jar.resolveSibling(jar.getFileName() + ".sig"),
                PluginSigner.sign(Files.readAllBytes(jar), key.getPrivate(), key.getPublic(), Instant.now()).toBytes());
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (model != null) {
            model.close();
        }
        if (registry != null) {
            registry.close();
        }
        TestGateway.deleteTree(state);
    }

    private boolean demoInstalled() throws Exception {
        try (Stream<Path> s = Files.list(state.resolve("plugins"))) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("demo-notes"));
        }
    }

    /** Sends the install prompt and returns the approval request the operator is shown. */
    private JsonNode askToInstall(ProtocolClient op, String agent, List<JsonNode> seen) throws Exception {
        String session = "agent:" + agent + ":clawhub-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode ack = op.request("chat.send", ProtocolClient.params().put("sessionKey", session)
                .put("message", "please install demo-notes").put("idempotencyKey", UUID.randomUUID().toString()));
        assertThat(ack.path("ok").asBoolean()).as(ack.toString()).isTrue();
        seen.add(ack.path("payload"));
        List<JsonNode> events = op.eventsUntil(event("approval.requested"), WAIT);
        JsonNode req = events.getLast().path("payload");
        assertThat(req.path("skill").asText() + "." + req.path("tool").asText()).isEqualTo("clawhub.install");
        assertThat(req.path("agentId").asText()).isEqualTo(agent);
        // The approval carries what the gateway verified: the plugin's powers, its signer, and the diff.
        assertThat(req.path("permissions").asText()).contains("INSTALL REQUEST from registry local: install demo-notes 1.0.0")
                .contains("signed by publisher").contains("tools: hello [read]").contains("network: none")
                .contains("permission diff: not installed yet");
        return req;
    }

    private void awaitEnd(ProtocolClient op, JsonNode ackPayload, String toolStatus) throws Exception {
        String runId = ackPayload.path("runId").asText();
        List<JsonNode> events = op.eventsUntil(e -> event("chat").test(e) && runId.equals(e.at("/payload/runId").asText())
                && "final".equals(e.at("/payload/state").asText()), WAIT);
        assertThat(events.stream().filter(e -> event("agent").test(e) && runId.equals(e.at("/payload/runId").asText())
                && "tool".equals(e.at("/payload/stream").asText()) && "end".equals(e.at("/payload/data/phase").asText()))
                .map(e -> e.at("/payload/data/status").asText())).containsExactly(toolStatus);
    }

    @Test
    @Order(1)
    void theSkillSearchesTheGrantedRegistryFromItsSandbox() throws Exception {
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            var p = ProtocolClient.params().put("skill", "clawhub").put("tool", "search").put("sessionKey", "agent:default:search");
            p.putObject("args").put("query", "notes");
            JsonNode res = c.request("tools.invoke", p);
            assertThat(res.path("ok").asBoolean()).as(res.toString()).isTrue();
            assertThat(res.at("/payload/isError").asBoolean()).as(res.toString()).isFalse();
            assertThat(res.at("/payload/text").asText()).contains("demo-notes 1.0.0: Demo notes skill for the registry.");

            var info = ProtocolClient.params().put("skill", "clawhub").put("tool", "info").put("sessionKey", "agent:default:search");
            info.putObject("args").put("id", "demo-notes");
            JsonNode i = c.request("tools.invoke", info);
            assertThat(i.at("/payload/text").asText()).as(i.toString()).contains("tools: hello [read]").contains("network: none")
                    .contains("signer key: " + publisherKeyId);
            assertThat(list(c)).isEqualTo("demo-notes 1.0.0 - available");
        }
    }

    private static String list(ProtocolClient c) throws Exception {
        var p = ProtocolClient.params().put("skill", "clawhub").put("tool", "list").put("sessionKey", "agent:default:search");
        p.putObject("args");
        JsonNode res = c.request("tools.invoke", p);
        assertThat(res.at("/payload/isError").asBoolean()).as(res.toString()).isFalse();
        return res.at("/payload/text").asText();
    }

    @Test
    @Order(2)
    void aDeniedInstallRequestInstallsNothing() throws Exception {
        try (ProtocolClient op = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            List<JsonNode> ack = new java.util.ArrayList<>();
            JsonNode req = askToInstall(op, "default", ack);
            JsonNode denied = op.request("approvals.resolve", ProtocolClient.params().put("id", req.path("id").asText())
                    .put("decision", "deny"));
            assertThat(denied.path("ok").asBoolean()).as(denied.toString()).isTrue();
            awaitEnd(op, ack.getFirst(), "denied");
            assertThat(demoInstalled()).isFalse();
        }
    }

    @Test
    @Order(3)
    void anUnansweredInstallRequestInstallsNothing() throws Exception {
        try (ProtocolClient op = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            List<JsonNode> ack = new java.util.ArrayList<>();
            askToInstall(op, "default", ack);
            awaitEnd(op, ack.getFirst(), "timeout");
            assertThat(demoInstalled()).isFalse();
        }
    }

    @Test
    @Order(4)
    void anAutoApproveStarStillAsksTheOperatorAndNamingInstallsIsRefusedByConfigValidation() throws Exception {
        try (ProtocolClient op = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            List<JsonNode> ack = new java.util.ArrayList<>();
            askToInstall(op, "auto", ack);
            awaitEnd(op, ack.getFirst(), "timeout");
            assertThat(demoInstalled()).isFalse();
        }
        for (String pattern : List.of("clawhub.install", "clawhub.update", "clawhub.*")) {
            assertThatThrownBy(() -> PreApprovals.fromJson(JSON.readTree("{\"autoApprove\": [\"" + pattern + "\"]}")))
                    .hasMessageContaining("never pre-approvable");
        }
        assertThat(PreApprovals.fromJson(JSON.readTree("{\"autoApprove\": [\"*\"]}")).covers("clawhub", "install")).isFalse();
        try (ProtocolClient op = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode cfg = op.request("config.get", ProtocolClient.params());
            String hash = cfg.at("/payload/hash").asText();
            JsonNode patched = op.request("config.patch", ProtocolClient.params().put("baseHash", hash)
                    .put("raw", "{\"agents\": {\"list\": [{\"id\": \"default\", \"default\": true, \"approvals\": {\"autoApprove\": [\"clawhub.install\"]}}]}}"));
            assertThat(patched.path("ok").asBoolean()).as(patched.toString()).isFalse();
            assertThat(patched.toString()).contains("never pre-approvable");
        }
    }

    @Test
    @Order(5)
    void anApprovedInstallRequestInstallsTheVerifiedPlugin() throws Exception {
        try (ProtocolClient op = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            List<JsonNode> ack = new java.util.ArrayList<>();
            JsonNode req = askToInstall(op, "default", ack);
            JsonNode ok = op.request("approvals.resolve", ProtocolClient.params().put("id", req.path("id").asText())
                    .put("decision", "approve"));
            assertThat(ok.path("ok").asBoolean()).as(ok.toString()).isTrue();
            awaitEnd(op, ack.getFirst(), "ok");
            assertThat(demoInstalled()).isTrue();
            JsonNode skills = op.request("skills.list", ProtocolClient.params()).at("/payload/skills");
            assertThat(skills.findValuesAsText("id")).contains("demo-notes");
            assertThat(list(op)).contains("demo-notes 1.0.0 - installed");
        }
    }

    @Test
    @Order(6)
    void anUpdateRequestThatWidensPermissionsShowsTheWideningAndADenialKeepsTheInstalledVersion() throws Exception {
        Path build = Files.createDirectories(state.resolve("build-2"));
        Path v2 = TestPluginJar.of("demo-notes", "2.0.0", DEMO.replace("version: 1.0.0", "version: 2.0.0")
                .replace("network: none", "network: {allow: [\"api.example.com:443\"]}"), "demo_notes.Hello", """
                package demo_notes;
                import ai.clawbot.plugin.api.*;
                import java.util.Map;
                public class Hello implements Skill {
                    public Map<String, ToolHandler> tools() { return Map.of("hello", (a, c) -> ToolResult.text("hello")); }
                }
                """).build(build);
        sign(v2, publisher);
        RegistryFolder.at(state.resolve("registry")).publish(v2, registryKey, Duration.ofDays(7), Instant.now());
        try (ProtocolClient op = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            assertThat(list(op)).isEqualTo("demo-notes 2.0.0 - update available (installed 1.0.0)");
            String session = "agent:default:clawhub-update";
            JsonNode ack = op.request("chat.send", ProtocolClient.params().put("sessionKey", session)
                    .put("message", "please update demo-notes").put("idempotencyKey", UUID.randomUUID().toString()));
            JsonNode req = op.eventsUntil(event("approval.requested"), WAIT).getLast().path("payload");
            assertThat(req.path("tool").asText()).isEqualTo("update");
            assertThat(req.path("permissions").asText())
                    .contains("INSTALL REQUEST from registry local: update to demo-notes 2.0.0 (WIDENS permissions)")
                    .contains("permission diff against installed 1.0.0 (WIDENS permissions)")
                    .contains("+ network: (none) -> api.example.com:443");
            op.request("approvals.resolve", ProtocolClient.params().put("id", req.path("id").asText()).put("decision", "deny"));
            awaitEnd(op, ack.path("payload"), "denied");
            assertThat(Files.exists(state.resolve("plugins/demo-notes-2.0.0.jar"))).isFalse();
            assertThat(Files.exists(state.resolve("plugins/demo-notes-1.0.0.jar"))).isTrue();
        }
    }

    private static Predicate<JsonNode> event(String name) {
        return e -> "event".equals(e.path("type").asText()) && name.equals(e.path("event").asText());
    }
}
