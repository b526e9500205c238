package ai.clawbot.host.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.cli.McpCommand;
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
 * (the egress proxy refuses it); hostile stdio servers (garbage, flood, silence, a 10 MB result, a crash).
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

        ObjectNode config = (ObjectNode) JSON.readTree(state.resolve("openclaw.json").toFile());
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
        mcporter.putArray("http_allow").add("http://127.0.0.1:" + httpPort + "/mcp");
        config.withObject("/agents").putArray("list").addObject().put("id", "default").put("default", true)
                .putObject("approvals").putArray("autoApprove").add("mcporter.*");
        Files.writeString(state.resolve("openclaw.json"), JSON.writeValueAsString(config));

        gateway = TestGateway.start(state, new SandboxObserver() {
            @Override
            public void egress(EgressEvent event) {
                egress.add(event);
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
