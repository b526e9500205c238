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
import ai.clawbot.host.testkit.ReactorJars;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSigner;
import ai.clawbot.signing.TrustStore;
import ai.clawbot.testkit.model.LocalModelServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gemini skill end to end: installed signed, {@code tools.invoke generate} over a real WebSocket, the tool
 * server in a real sandbox, the key from the vault (a file in the container), egress through the gateway's proxy
 * to a loopback server speaking Gemini's wire format that the operator granted as {@code base_url}
 * ({@code 127.0.0.1:PORT}); generate is pre-approved. Then key hygiene: the server saw the key only in
 * {@code x-goog-api-key}; no URL, captured log line, audit line, state file or {@code docker inspect} of the
 * skill's container holds it.
 */
@ExtendWith(DockerRequired.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GeminiSkillEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DockerClient DOCKER = DockerClients.create();
    private static final String KEY = "AIza-e2e-vault-key-" + Long.toHexString(System.nanoTime());

    @Test
    void generateThroughTheGatewayReachesTheGrantedEndpointWithTheVaultKeyInTheHeaderOnly() throws Exception {
        List<String> uris = new CopyOnWriteArrayList<>();
        List<InspectContainerResponse> inspected = new CopyOnWriteArrayList<>();
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(new SimpleFormatter().format(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        Path state = Files.createTempDirectory("claw-gemini-e2e");
        try (LocalModelServer gemini = LocalModelServer.start((request, exchange) -> {
            uris.add(exchange.getRequestURI().toString());
            // Structured requests (json_schema) get a JSON answer: one that fits the schema when the prompt asks for
            // "valid", else one that breaks it; plain requests get text.
            boolean structured = "application/json".equals(request.json().at("/generationConfig/responseMimeType").asText());
            String answer = !structured ? "High water at six."
                    : request.body().contains("valid") ? "{\\\"city\\\":\\\"Oslo\\\"}" : "{\\\"town\\\":1}";
            LocalModelServer.status(200, "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":"
                    + "\"" + answer + "\"}]},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{"
                    + "\"promptTokenCount\":20,\"candidatesTokenCount\":5,\"totalTokenCount\":25},"
                    + "\"modelVersion\":\"gemini-test\"}").respond(request, exchange);
        })) {
            int port = Integer.parseInt(gemini.baseUrl().replaceFirst(".*:", "").replace("/", ""));
            install(state);
            FileVault.open(new StateDir(state), Map.of()).set("GEMINI_API_KEY", KEY.getBytes(StandardCharsets.UTF_8));
            Files.writeString(state.resolve("openclaw.json"), """
                    {"plugins": {"entries": {"gemini": {"config": {"base_url": "http://127.0.0.1:%d/v1beta"}}}},
                     "agents": {"list": [{"id": "default", "default": true, "approvals": {"autoApprove": ["gemini.*"]}}]}}
                    """.formatted(port));
            Path note = Files.createDirectories(new StateDir(state).workspace()).resolve("tides.md");
            Files.writeString(note, "# Tides\nHigh water at six.\n");

            try (Gateway gateway = TestGateway.start(state, new SandboxObserver() {
                @Override
                public void started(String containerId, SandboxCall call) {
                    if (call.skill().id().equals("gemini")) {
                        inspected.add(DOCKER.inspectContainerCmd(containerId).exec());
                    }
                }
            }); ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
                ObjectNode p = ProtocolClient.params().put("skill", "gemini").put("tool", "generate")
                        .put("sessionKey", "agent:default:gemini-e2e");
                p.putObject("args").put("prompt", "When is high water?").put("model", "gemini-test")
                        .putArray("files").add("tides.md");
                JsonNode res = c.request("tools.invoke", p);
                assertThat(res.path("ok").asBoolean()).as(res.toString()).isTrue();
                assertThat(res.at("/payload/isError").asBoolean()).as(res.toString()).isFalse();
                assertThat(res.at("/payload/text").asText()).isEqualTo("High water at six.");

                LocalModelServer.Received sent = gemini.last();
                assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-test:generateContent");
                assertThat(sent.header("x-goog-api-key")).isEqualTo(KEY);
                assertThat(new String(Base64.getDecoder().decode(sent.json()
                        .at("/contents/0/parts/1/inlineData/data").asText()), StandardCharsets.UTF_8))
                        .isEqualTo("# Tides\nHigh water at six.\n");

                // json_schema through the sandbox: a fitting answer passes as JSON, a breaking one is reported.
                for (String prompt : List.of("Give a valid city.", "Give a city.")) {
                    ObjectNode structured = ProtocolClient.params().put("skill", "gemini").put("tool", "generate")
                            .put("sessionKey", "agent:default:gemini-e2e");
                    ObjectNode args = structured.putObject("args").put("prompt", prompt).put("model", "gemini-test");
                    args.set("json_schema", JSON.readTree(
                            "{\"type\":\"object\",\"required\":[\"city\"],\"properties\":{\"city\":{\"type\":\"string\"}}}"));
                    JsonNode answered = c.request("tools.invoke", structured);
                    assertThat(answered.path("ok").asBoolean()).as(answered.toString()).isTrue();
                    if (prompt.contains("valid")) {
                        assertThat(answered.at("/payload/isError").asBoolean()).as(answered.toString()).isFalse();
                        assertThat(JSON.readTree(answered.at("/payload/text").asText()).path("city").asText()).isEqualTo("Oslo");
                    } else {
                        assertThat(answered.at("/payload/isError").asBoolean()).as(answered.toString()).isTrue();
                        assertThat(answered.at("/payload/text").asText()).containsIgnoringCase("schema");
                    }
                }
                assertThat(gemini.hits()).isEqualTo(3);

                ObjectNode outside = ProtocolClient.params().put("skill", "gemini").put("tool", "generate")
                        .put("sessionKey", "agent:default:gemini-e2e");
                outside.putObject("args").put("prompt", "x").putArray("files").add("../secrets/vault.key");
                JsonNode refused = c.request("tools.invoke", outside);
                assertThat(refused.toString()).contains("OUTSIDE_WORKSPACE");
                assertThat(gemini.hits()).as("a refused path sends nothing").isEqualTo(3);
                assertThat(res.toString()).doesNotContain(KEY);
            }

            // Key hygiene.
            assertThat(uris).isNotEmpty().allSatisfy(u -> assertThat(u).doesNotContain("key=").doesNotContain(KEY));
            assertThat(inspected).isNotEmpty().allSatisfy(i -> {
                assertThat(String.valueOf(i.getConfig().getEnv() == null ? "" : String.join("\n", i.getConfig().getEnv())))
                        .doesNotContain(KEY);
                assertThat(JSON.writeValueAsString(i)).doesNotContain(KEY);
            });
            assertThat(logged).isNotEmpty().allSatisfy(l -> assertThat(l).doesNotContain(KEY));
            Path audit = state.resolve("logs").resolve("audit.jsonl");
            assertThat(audit).exists();
            try (Stream<Path> files = Files.walk(state)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as("%s", f)
                            .doesNotContain(KEY);
                }
            }
        } finally {
            root.removeHandler(capture);
            TestGateway.deleteTree(state);
        }
    }

    /** The reactor's gemini jar into the state's plugins, signed by a fresh key that the state trusts. */
    private static void install(Path state) throws Exception {
        Path jar = Files.createDirectories(state.resolve("plugins")).resolve("gemini.jar");
        Files.copy(ReactorJars.plugin("gemini"), jar);
        KeyPair key = Keys.generate();
        TrustStore.open(state.resolve("trust")).add(key.getPublic(), "e2e-gemini");
        Files.write(jar.resolveSibling("gemini.jar.sig"), PluginSigner.sign(Files.readAllBytes(jar),
                key.getPrivate(), key.getPublic(), Instant.now()).toBytes());
    }
}
