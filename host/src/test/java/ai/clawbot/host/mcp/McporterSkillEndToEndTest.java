package ai.clawbot.host.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.cli.McpCommand;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.secrets.FileVault;
import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.sandbox.egress.EgressEvent;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.ReactorJars;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSigner;
import ai.clawbot.signing.TrustStore;
import ai.clawbot.testkit.connect.LocalConnectServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * The mcporter skill end to end, one gateway for the class: {@code @modelcontextprotocol/server-everything} (npm, the
 * real third-party server) provisioned with {@code claw mcp add --npm} (from npm's cache: {@code .ci/run} fills it)
 * and run over stdio inside the mcporter sandbox, called with {@code tools.invoke} over a real WebSocket; the same
 * server over streamable HTTP on loopback through the operator's grant, and a second loopback endpoint without one
 * (the egress proxy refuses it); hostile stdio servers (garbage, flood, silence, a 10 MB result, a crash). Two more
 * HTTP entries reach that server through a loopback recorder whose bearer headers name their secrets: one from the
 * vault ({@code ${secret:MCP_TOKEN}}), one from 1Password ({@code op://…}, against a local server speaking the Connect
 * REST API); the recorder sees the values, while {@code openclaw.json}, {@code config.get}, logs, the state folder and
 * {@code docker inspect} hold only the references; a literal header is refused with its JSON path.
 */
@ExtendWith(DockerRequired.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class McporterSkillEndToEndTest {

    static final String EVERYTHING = "@modelcontextprotocol/server-everything@2026.8.31";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DockerClient DOCKER = DockerClients.create();

    private Path state;
    private Gateway gateway;
    private ProtocolClient client;
    private Process http;
    private HttpServer ungranted;
    private int httpPort;
    private final AtomicInteger ungrantedHits = new AtomicInteger();
    private final List<EgressEvent> egress = new CopyOnWriteArrayList<>();

    private static final String VAULT_TOKEN = "mcp-vault-token-7f3c1e9a";
    private static final String OP_TOKEN = "mcp-op-token-52d8b0c4";
    private static final String CONNECT_TOKEN = "connect-token-e2e-91ab";
    private static final String OP_REF = "op://Private/Tools MCP/credential";
    private LocalConnectServer connect;
    private HttpServer recorder;
    private final Map<String, List<String>> seenAuth = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> seenApiKey = new CopyOnWriteArrayList<>();
    private final List<String> inspected = new CopyOnWriteArrayList<>();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private Handler capture;

    @BeforeAll
    void start() throws Exception {
        DockerRequired.requireFamilies("skill-node");
        state = Files.createTempDirectory("claw-mcporter-e2e");
        install(state);

        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(shown, true, StandardCharsets.UTF_8);
        int code = new CommandLine(new McpCommand(Map.of("OPENCLAW_STATE_DIR", state.toString()), out, out))
                .execute("add", "everything", "--offline", "--npm", EVERYTHING, "--env", "GREETING=from-the-operator",
                        "--", "stdio");
        assertThat(code).as(shown.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(shown.toString(StandardCharsets.UTF_8))
                .contains("installed @modelcontextprotocol/server-everything@2026.8.31 (sha512-");
        Path provisioned = state.resolve("mcp/everything");
        assertThat(JSON.readTree(provisioned.resolve("provisioned.json").toFile()).path("integrity").asText()).startsWith("sha512-");

        // Hostile servers, provisioned as an operator would put any script there.
        Path hostile = Files.createDirectories(state.resolve("mcp/hostile"));
        try (InputStream in = getClass().getResourceAsStream("/mcp/hostile-server.js")) {
            Files.copy(in, hostile.resolve("hostile-server.js"));
        }

        httpPort = freePort();
        Path serverJs = provisioned.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
        ProcessBuilder pb = new ProcessBuilder("node", serverJs.toString(), "streamableHttp").redirectErrorStream(true);
        pb.environment().put("PORT", Integer.toString(httpPort));
        http = pb.start();
        awaitListening(http, httpPort);
        ungranted = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ungranted.createContext("/", ex -> {
            ungrantedHits.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        ungranted.start();

        // HTTP servers whose bearer headers come from the vault and from 1Password, behind a recorder.
        recorder = recordingProxy(httpPort);
        int rec = recorder.getAddress().getPort();
        connect = LocalConnectServer.start(CONNECT_TOKEN);
        connect.addItem(connect.addVault("Private"), "Tools MCP", "API_CREDENTIAL", Map.of(),
                List.of(LocalConnectServer.Field.of("credential", "CONCEALED", OP_TOKEN)));
        FileVault vault = FileVault.open(new StateDir(state), Map.of());
        vault.set("MCP_TOKEN", VAULT_TOKEN.getBytes(StandardCharsets.UTF_8));
        vault.set("OP_CONNECT_TOKEN", CONNECT_TOKEN.getBytes(StandardCharsets.UTF_8));
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

        ObjectNode config = (ObjectNode) JSON.readTree(state.resolve("openclaw.json").toFile());
        config.withObject("/plugins/entries/onepassword/config").put("connect_url", connect.url());
        ObjectNode mcporter = config.withObject("/plugins/entries/mcporter/config");
        ObjectNode servers = mcporter.withObject("/mcpServers");
        ((ObjectNode) servers.get("everything")).put("timeout_ms", 8000);
        for (String mode : List.of("garbage", "flood", "silent", "big", "crash")) {
            ObjectNode s = servers.putObject("hostile-" + mode).put("command", "node").put("timeout_ms", 5000).put("init_timeout_ms", 6000);
            s.putArray("args").add("/opt/mcp/hostile/hostile-server.js").add(mode);
        }
        servers.putObject("http").put("baseUrl", "http://127.0.0.1:" + httpPort + "/mcp");
        servers.putObject("http-ungranted").put("baseUrl", "http://127.0.0.1:" + ungranted.getAddress().getPort() + "/mcp")
                .put("timeout_ms", 5000);
        servers.putObject("http-vault").put("baseUrl", "http://127.0.0.1:" + rec + "/vault/mcp")
                .putObject("headers").put("Authorization", "Bearer ${secret:MCP_TOKEN}");
        servers.putObject("http-op").put("baseUrl", "http://127.0.0.1:" + rec + "/op/mcp")
                .putObject("headers").put("Authorization", "Bearer ${" + OP_REF + "}").put("X-Api-Key", OP_REF);
        mcporter.putArray("http_allow").add("http://127.0.0.1:" + httpPort + "/mcp").add("http://127.0.0.1:" + rec + "/vault/mcp");
        config.withObject("/agents").putArray("list").addObject().put("id", "default").put("default", true)
                .putObject("approvals").putArray("autoApprove").add("mcporter.*");
        Files.writeString(state.resolve("openclaw.json"), JSON.writeValueAsString(config));

        gateway = TestGateway.start(state, new SandboxObserver() {
            @Override
            public void egress(EgressEvent event) {
                egress.add(event);
            }

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
        if (client != null) {
            client.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (http != null) {
            http.destroyForcibly();
        }
        if (ungranted != null) {
            ungranted.stop(0);
        }
        if (recorder != null) {
            recorder.stop(0);
        }
        if (connect != null) {
            connect.close();
        }
        if (capture != null) {
            Logger.getLogger("").removeHandler(capture);
        }
        TestGateway.deleteTree(state);
    }

    @Test
    void serverEverythingOverStdioListsItsToolsAndEchoRoundTrips() throws Exception {
        JsonNode servers = invoke("list_servers", JSON.createObjectNode());
        assertThat(servers.path("text").asText()).contains("everything (stdio) node /opt/mcp/everything/node_modules/"
                + "@modelcontextprotocol/server-everything/dist/index.js stdio");

        JsonNode tools = invoke("list_tools", JSON.createObjectNode().put("server", "everything"));
        assertThat(tools.path("isError").asBoolean()).as(tools.toString()).isFalse();
        List<String> names = tools.path("structured").findValuesAsText("name");
        assertThat(names).contains("echo", "get-sum", "get-env", "trigger-long-running-operation");
        JsonNode echoTool = find(tools.path("structured"), "echo");
        assertThat(echoTool.at("/inputSchema/properties/message/type").asText()).isEqualTo("string");

        JsonNode echo = call("everything", "echo", JSON.createObjectNode().put("message", "hello through the sandbox"));
        assertThat(echo.path("isError").asBoolean()).as(echo.toString()).isFalse();
        assertThat(echo.path("text").asText()).isEqualTo("Echo: hello through the sandbox");
    }

    @Test
    void getEnvShowsTheOperatorsEntryAndNoneOfTheGatewaysSecrets() throws Exception {
        JsonNode env = call("everything", "get-env", JSON.createObjectNode());
        assertThat(env.path("isError").asBoolean()).as(env.toString()).isFalse();
        String text = env.path("text").asText();
        assertThat(text).contains("GREETING").contains("from-the-operator")
                .doesNotContain(TestGateway.TOKEN).doesNotContain("OPENCLAW_").doesNotContain("VAULT")
                // the container's own egress settings are not passed on either
                .doesNotContainIgnoringCase("HTTP_PROXY");
    }

    @Test
    void aCallPastItsTimeoutKillsTheServerWhichStartsAgainOnTheNextCall() throws Exception {
        call("everything", "echo", JSON.createObjectNode().put("message", "warm"));
        JsonNode slow = call("everything", "trigger-long-running-operation", JSON.createObjectNode().put("duration", 30).put("steps", 3));
        assertThat(slow.path("isError").asBoolean()).as(slow.toString()).isTrue();
        assertThat(slow.path("text").asText()).contains("SERVER_TIMEOUT").contains("8000 ms").contains("killed");
        String container = slow.at("/sandbox/containerId").asText();
        List<String> processes = DOCKER.topContainerCmd(container).exec().getProcesses() == null ? List.of()
                : java.util.Arrays.stream(DOCKER.topContainerCmd(container).exec().getProcesses())
                .map(p -> String.join(" ", p)).toList();
        assertThat(processes).noneMatch(p -> p.contains("server-everything"));

        JsonNode again = call("everything", "echo", JSON.createObjectNode().put("message", "back"));
        assertThat(again.path("text").asText()).isEqualTo("Echo: back");
        assertThat(again.at("/sandbox/containerId").asText()).isEqualTo(container);
    }

    @Test
    void argumentsNameOnlyConfiguredServersNeverACommand() throws Exception {
        JsonNode unknown = call("nope", "echo", JSON.createObjectNode());
        assertThat(unknown.path("text").asText()).startsWith("UNKNOWN_SERVER").contains("everything");
        ObjectNode p = params("call", JSON.createObjectNode().put("server", "everything").put("tool", "echo").put("command", "sh"));
        JsonNode refused = client.request("tools.invoke", p);
        assertThat(refused.path("ok").asBoolean()).isFalse();
        assertThat(refused.at("/error/code").asText()).isEqualTo("INVALID_REQUEST");
    }

    @Test
    void hostileServersEachGiveAClearErrorAndLeaveTheGatewayWorking() throws Exception {
        // The SDK's reader stops at the first line that is not JSON-RPC; the server then dies writing to a closed pipe.
        JsonNode garbage = invoke("list_tools", JSON.createObjectNode().put("server", "hostile-garbage"));
        assertThat(garbage.path("text").asText()).startsWith("SERVER_EXITED").contains("only JSON-RPC");
        JsonNode silent = invoke("list_tools", JSON.createObjectNode().put("server", "hostile-silent"));
        assertThat(silent.path("text").asText()).startsWith("SERVER_INIT_TIMEOUT");
        JsonNode flood = invoke("list_tools", JSON.createObjectNode().put("server", "hostile-flood"));
        assertThat(flood.path("isError").asBoolean()).as(flood.toString()).isTrue();
        // Cut off at the stdout cap (32 MiB) long before the deadline.
        assertThat(flood.path("text").asText()).startsWith("SERVER_EXITED").contains("33554432 bytes");

        JsonNode big = call("hostile-big", "big", JSON.createObjectNode());
        assertThat(big.path("isError").asBoolean()).as(big.toString()).isFalse();
        String text = big.path("text").asText();
        assertThat(text).endsWith("[mcporter: result cut at 1048576 of 10485760 bytes]");
        assertThat(text.length()).isLessThan(1_100_000);

        JsonNode crash = call("hostile-crash", "anything", JSON.createObjectNode());
        assertThat(crash.path("text").asText()).startsWith("SERVER_CRASHED");

        assertThat(client.request("health").path("ok").asBoolean()).isTrue();
        JsonNode echo = call("everything", "echo", JSON.createObjectNode().put("message", "still here"));
        assertThat(echo.path("text").asText()).isEqualTo("Echo: still here");
    }

    @Test
    void theSameServerOverStreamableHttpThroughTheGrantAndTheProxyRefusesAnEndpointNotGranted() throws Exception {
        JsonNode echo = call("http", "echo", JSON.createObjectNode().put("message", "over http"));
        assertThat(echo.path("isError").asBoolean()).as(echo.toString()).isFalse();
        assertThat(echo.path("text").asText()).isEqualTo("Echo: over http");
        assertThat(egress).anySatisfy(e -> {
            assertThat(e.port()).isEqualTo(httpPort);
            assertThat(e.reason()).isEqualTo(EgressEvent.Reason.ALLOWED);
            assertThat(e.grant()).contains("mcporter").contains("http_allow");
        });

        int port = ungranted.getAddress().getPort();
        JsonNode refused = invoke("list_tools", JSON.createObjectNode().put("server", "http-ungranted"));
        assertThat(refused.path("isError").asBoolean()).as(refused.toString()).isTrue();
        assertThat(refused.path("text").asText()).startsWith("SERVER_");
        assertThat(egress).anySatisfy(e -> {
            assertThat(e.port()).isEqualTo(port);
            assertThat(e.reason()).isNotEqualTo(EgressEvent.Reason.ALLOWED);
        });
        assertThat(ungrantedHits).hasValue(0);
    }

    @Test
    void httpHeadersComeFromTheVaultAndFromOnePasswordAndOnlyTheirReferencesAreStored() throws Exception {
        JsonNode viaVault = call("http-vault", "echo", JSON.createObjectNode().put("message", "vault bearer"));
        assertThat(viaVault.path("isError").asBoolean()).as(viaVault.toString()).isFalse();
        assertThat(viaVault.path("text").asText()).isEqualTo("Echo: vault bearer");
        assertThat(seenAuth.get("vault")).isNotEmpty().containsOnly("Bearer " + VAULT_TOKEN);

        JsonNode viaOp = call("http-op", "echo", JSON.createObjectNode().put("message", "op bearer"));
        assertThat(viaOp.path("isError").asBoolean()).as(viaOp.toString()).isFalse();
        assertThat(viaOp.path("text").asText()).isEqualTo("Echo: op bearer");
        assertThat(seenAuth.get("op")).isNotEmpty().containsOnly("Bearer " + OP_TOKEN);
        assertThat(seenApiKey).isNotEmpty().containsOnly(OP_TOKEN);
        assertThat(connect.requests()).isNotEmpty();

        // list_servers shows the URL, never a header; config.get and openclaw.json show the references.
        assertThat(invoke("list_servers", JSON.createObjectNode()).toString())
                .doesNotContain(VAULT_TOKEN).doesNotContain(OP_TOKEN).doesNotContain("MCP_TOKEN");
        JsonNode config = client.request("config.get", ProtocolClient.params());
        assertThat(config.toString()).contains("Bearer ${secret:MCP_TOKEN}").contains(OP_REF)
                .doesNotContain(VAULT_TOKEN).doesNotContain(OP_TOKEN).doesNotContain(CONNECT_TOKEN);
        assertThat(inspected).isNotEmpty().allSatisfy(i -> assertThat(i).doesNotContain(VAULT_TOKEN)
                .doesNotContain(OP_TOKEN).doesNotContain(CONNECT_TOKEN));
        assertThat(logged).allSatisfy(l -> assertThat(l).doesNotContain(VAULT_TOKEN).doesNotContain(OP_TOKEN)
                .doesNotContain(CONNECT_TOKEN));
        assertThat(Files.readString(state.resolve("openclaw.json"))).contains("${secret:MCP_TOKEN}").contains(OP_REF);
        // The state folder (openclaw.json, transcripts, audit and gateway logs, the encrypted vault) never holds a value.
        try (Stream<Path> files = Files.walk(state)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.startsWith(state.resolve("mcp"))).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(text).as("%s", f).doesNotContain(VAULT_TOKEN).doesNotContain(OP_TOKEN).doesNotContain(CONNECT_TOKEN);
            }
        }
    }

    @Test
    void aLiteralHeaderIsRefusedWithItsJsonPathAndTheConfigIsLeftAsItWas() throws Exception {
        String before = Files.readString(state.resolve("openclaw.json"));
        String hash = client.request("config.get", ProtocolClient.params()).at("/payload/hash").asText();
        ObjectNode patch = ProtocolClient.params();
        patch.withObject("/plugins/entries/mcporter/config/mcpServers/http-vault/headers")
                .put("Authorization", "Bearer literal-secret-in-clear");
        JsonNode refused = client.request("config.patch", ProtocolClient.params().put("baseHash", hash).set("patch", patch));
        assertThat(refused.path("ok").asBoolean()).as(refused.toString()).isFalse();
        assertThat(refused.toString())
                .contains("$.plugins.entries.mcporter.config.mcpServers.http-vault.headers.Authorization")
                .contains("literal credential").contains("${secret:NAME}").contains("op://")
                .doesNotContain("literal-secret-in-clear");
        assertThat(Files.readString(state.resolve("openclaw.json"))).isEqualTo(before);
    }

    @Test
    void aHeaderWhoseVaultSecretIsMissingFailsTheCallNamingTheHeaderAndTheSecret() throws Exception {
        String hash = client.request("config.get", ProtocolClient.params()).at("/payload/hash").asText();
        ObjectNode patch = ProtocolClient.params();
        patch.withObject("/plugins/entries/mcporter/config/mcpServers/http-missing").put("baseUrl", "http://127.0.0.1:1/mcp")
                .putObject("headers").put("Authorization", "Bearer ${secret:NOT_IN_THE_VAULT}");
        JsonNode patched = client.request("config.patch", ProtocolClient.params().put("baseHash", hash).set("patch", patch));
        assertThat(patched.path("ok").asBoolean()).as(patched.toString()).isTrue();
        try {
            JsonNode failed = client.request("tools.invoke", params("list_servers", JSON.createObjectNode()));
            assertThat(failed.path("ok").asBoolean()).as(failed.toString()).isFalse();
            assertThat(failed.at("/error/details/code").asText()).isEqualTo("SECRET_UNAVAILABLE");
            assertThat(failed.at("/error/message").asText())
                    .contains("plugins.entries.mcporter.config.mcpServers.http-missing.headers.Authorization")
                    .contains("NOT_IN_THE_VAULT").doesNotContain(VAULT_TOKEN);
        } finally {
            ObjectNode undo = ProtocolClient.params();
            undo.withObject("/plugins/entries/mcporter/config/mcpServers").putNull("http-missing");
            String now = client.request("config.get", ProtocolClient.params()).at("/payload/hash").asText();
            JsonNode reverted = client.request("config.patch", ProtocolClient.params().put("baseHash", now).set("patch", undo));
            assertThat(reverted.path("ok").asBoolean()).as(reverted.toString()).isTrue();
        }
        assertThat(call("http-vault", "echo", JSON.createObjectNode().put("message", "again")).path("text").asText())
                .isEqualTo("Echo: again");
    }

    /**
     * A loopback HTTP recorder in front of server-everything: {@code /vault/mcp} and {@code /op/mcp} are passed
     * through to its {@code /mcp} (streamed, so its SSE answers arrive as they come), noting the bearer each received.
     */
    private HttpServer recordingProxy(int target) throws Exception {
        java.net.http.HttpClient upstream = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        java.util.Set<String> restricted = java.util.Set.of("connection", "content-length", "expect", "host", "upgrade",
                "transfer-encoding", "keep-alive", "proxy-connection");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        for (String name : List.of("vault", "op")) {
            server.createContext("/" + name + "/mcp", ex -> {
                try (ex) {
                    seenAuth.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>())
                            .add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
                    if (name.equals("op")) {
                        seenApiKey.add(String.valueOf(ex.getRequestHeaders().getFirst("X-Api-Key")));
                    }
                    byte[] body = ex.getRequestBody().readAllBytes();
                    java.net.http.HttpRequest.Builder req = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + target + "/mcp"))
                            .method(ex.getRequestMethod(), java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
                    ex.getRequestHeaders().forEach((k, vs) -> {
                        if (!restricted.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                            vs.forEach(v -> req.header(k, v));
                        }
                    });
                    java.net.http.HttpResponse<InputStream> res = upstream.send(req.build(),
                            java.net.http.HttpResponse.BodyHandlers.ofInputStream());
                    res.headers().map().forEach((k, vs) -> {
                        if (!restricted.contains(k.toLowerCase(java.util.Locale.ROOT)) && !k.startsWith(":")) {
                            ex.getResponseHeaders().put(k, vs);
                        }
                    });
                    boolean empty = res.statusCode() == 202 || res.statusCode() == 204
                            || res.headers().firstValueAsLong("content-length").orElse(-1) == 0;
                    ex.sendResponseHeaders(res.statusCode(), empty ? -1 : 0);
                    try (InputStream in = res.body()) {
                        byte[] buf = new byte[8192];
                        for (int n; (n = in.read(buf)) >= 0; ) {
                            ex.getResponseBody().write(buf, 0, n);
                            ex.getResponseBody().flush();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        server.start();
        return server;
    }

    private JsonNode call(String server, String tool, ObjectNode arguments) throws Exception {
        ObjectNode args = JSON.createObjectNode().put("server", server).put("tool", tool);
        args.set("arguments", arguments);
        return invoke("call", args);
    }

    private JsonNode invoke(String tool, ObjectNode args) throws Exception {
        JsonNode res = client.request("tools.invoke", params(tool, args));
        assertThat(res.path("ok").asBoolean()).as(res.toString()).isTrue();
        return res.path("payload");
    }

    private static ObjectNode params(String tool, ObjectNode args) {
        ObjectNode p = ProtocolClient.params().put("skill", "mcporter").put("tool", tool).put("sessionKey", "agent:default:mcp-e2e");
        p.set("args", args);
        return p;
    }

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode n : list) {
            if (n.path("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no " + name + " in " + list);
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits for server-everything's "listening on port" line (its start-up takes a second or two). */
    static void awaitListening(Process p, int port) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.contains("listening on port " + port)) {
                Thread drain = new Thread(() -> {
                    try {
                        r.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException ignored) {
                        // the server was stopped
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new AssertionError("server-everything exited before listening on " + port);
    }

    /** The reactor's mcporter jar into the state's plugins, signed by a fresh key that the state trusts. */
    static void install(Path state) throws Exception {
        Path jar = Files.createDirectories(state.resolve("plugins")).resolve("mcporter.jar");
        Files.copy(ReactorJars.plugin("mcporter"), jar);
        KeyPair key = Keys.generate();
        TrustStore.open(state.resolve("trust")).add(key.getPublic(), "e2e-mcporter");
        Files.write(jar.resolveSibling("mcporter.jar.sig"), PluginSigner.sign(Files.readAllBytes(jar),
                key.getPrivate(), key.getPublic(), Instant.now()).toBytes());
    }
}
