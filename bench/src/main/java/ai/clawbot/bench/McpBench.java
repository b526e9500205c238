package ai.clawbot.bench;

import ai.clawbot.host.wiring.Gateways;

import ai.clawbot.host.cli.McpCommand;
import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSigner;
import ai.clawbot.signing.TrustStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * MCP both ways, each against a baseline measured in the same run (a load client, not a test):
 * <ul>
 * <li>a warm {@code mcporter.call echo} through the gateway ({@code tools.invoke} over the WebSocket → gate →
 *     mcporter sandbox → server-everything over stdio inside it) vs the MCP Java SDK calling the same
 *     server-everything directly over stdio on the host;</li>
 * <li>{@code tools/call workspace__read} through {@code /mcp} (the SDK's client) vs {@code tools.invoke workspace.read}
 *     (the same tool, gate and warm sandbox).</li>
 * </ul>
 * {@code ./bench/run-mcp.sh [calls=200]}; needs Docker, the skill-jre and skill-node images, npm and node (server-everything
 * is installed with {@code claw mcp add --npm}).
 */
public final class McpBench {

    private static final String TOKEN = "bench-token-0123456789abcdef";
    private static final String EVERYTHING = "@modelcontextprotocol/server-everything@2026.8.31";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path mcporterJar = Path.of(System.getProperty("mcporter.jar"));
        Path root = Files.createTempDirectory("claw-mcp-bench");
        StateDir state = new StateDir(root);
        state.ensureRoot();
        Path plugins = Files.createDirectories(state.plugins());
        copy("/bundled/trust/dev-publisher.pem", state.trust().resolve("keys/dev-publisher.pem"));
        copy("/bundled/plugins/workspace.jar", plugins.resolve("workspace.jar"));
        copy("/bundled/plugins/workspace.jar.sig", plugins.resolve("workspace.jar.sig"));
        Files.copy(mcporterJar, plugins.resolve("mcporter.jar"));
        KeyPair key = Keys.generate();
        TrustStore.open(state.trust()).add(key.getPublic(), "bench-mcporter");
        Files.write(plugins.resolve("mcporter.jar.sig"), PluginSigner.sign(Files.readAllBytes(mcporterJar), key.getPrivate(),
                key.getPublic(), Instant.now()).toBytes());
        int code = new picocli.CommandLine(new McpCommand(Map.of("OPENCLAW_STATE_DIR", root.toString()), System.out, System.err))
                .execute("add", "everything", "--npm", EVERYTHING, "--", "stdio");
        if (code != 0) {
            throw new IllegalStateException("claw mcp add failed");
        }
        ObjectNode config = (ObjectNode) TurnClient.JSON.readTree(state.configFile().toFile());
        config.withObject("/gateway/http/endpoints/mcp").put("enabled", true);
        config.withObject("/agents").putArray("list").addObject().put("id", "default").put("default", true)
                .putObject("approvals").putArray("autoApprove").add("mcporter.*");
        Files.writeString(state.configFile(), config.toString());
        Files.createDirectories(state.workspace());
        Files.writeString(state.workspace().resolve("note.md"), "# Note\nsome text for the benchmark\n");

        Path serverJs = root.resolve("mcp/everything/node_modules/@modelcontextprotocol/server-everything/dist/index.js");
        try (Gateway gw = Gateways.start(new GatewayConfig("127.0.0.1", 0, TOKEN, state), SandboxObserver.NONE);
             TurnClient ws = TurnClient.connect(gw.webSocketUri().getPort(), TOKEN)) {
            ObjectNode echo = invoke("mcporter", "call");
            echo.withObject("/args").put("server", "everything").put("tool", "echo").putObject("arguments").put("message", "hi");
            List<Long> viaGateway = time(n, () -> expect(TurnClient.ok(ws.request("tools.invoke", echo)), "Echo: hi"));

            McpSyncClient direct = McpClient.sync(new StdioClientTransport(ServerParameters.builder("node")
                    .args(serverJs.toString(), "stdio").build(), new JacksonMcpJsonMapper(TurnClient.JSON)))
                    .requestTimeout(Duration.ofSeconds(30)).build();
            direct.initialize();
            List<Long> sdkDirect = time(n, () -> {
                McpSchema.CallToolResult r = direct.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "hi")));
                return ((McpSchema.TextContent) r.content().getFirst()).text();
            });
            direct.closeGracefully();

            ObjectNode read = invoke("workspace", "read");
            read.withObject("/args").put("path", "note.md");
            List<Long> toolsInvoke = time(n, () -> expect(TurnClient.ok(ws.request("tools.invoke", read)), "some text"));
            McpSyncClient mcp = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + gw.webSocketUri().getPort())
                    .endpoint("/mcp").customizeRequest(r -> r.header("Authorization", "Bearer " + TOKEN)).build())
                    .requestTimeout(Duration.ofSeconds(60)).build();
            mcp.initialize();
            List<Long> viaMcp = time(n, () -> {
                McpSchema.CallToolResult r = mcp.callTool(new McpSchema.CallToolRequest("workspace__read", Map.of("path", "note.md")));
                String text = ((McpSchema.TextContent) r.content().getFirst()).text();
                if (Boolean.TRUE.equals(r.isError()) || !text.contains("some text")) {
                    throw new IllegalStateException(text);
                }
                return text;
            });
            mcp.closeGracefully();

            System.out.printf("%nmcporter.call echo via gateway  p50 %7.2f ms  p90 %7.2f ms  (n=%d)%n", ms(viaGateway, 50), ms(viaGateway, 90), n);
            System.out.printf("SDK -> server-everything direct p50 %7.2f ms  p90 %7.2f ms  (n=%d, baseline)%n", ms(sdkDirect, 50), ms(sdkDirect, 90), n);
            System.out.printf("  gateway / direct = %.2f (p50)%n", ms(viaGateway, 50) / ms(sdkDirect, 50));
            System.out.printf("/mcp tools/call workspace__read  p50 %7.2f ms  p90 %7.2f ms  (n=%d)%n", ms(viaMcp, 50), ms(viaMcp, 90), n);
            System.out.printf("tools.invoke workspace.read      p50 %7.2f ms  p90 %7.2f ms  (n=%d, baseline)%n", ms(toolsInvoke, 50), ms(toolsInvoke, 90), n);
            System.out.printf("  /mcp / tools.invoke = %.2f (p50)%n", ms(viaMcp, 50) / ms(toolsInvoke, 50));
        } finally {
            GatewayBench.deleteTree(root);
        }
    }

    private static ObjectNode invoke(String skill, String tool) {
        ObjectNode p = TurnClient.JSON.createObjectNode().put("skill", skill).put("tool", tool).put("sessionKey", "agent:default:bench");
        p.putObject("args");
        return p;
    }

    private static String expect(JsonNode payload, String text) {
        String t = payload.path("text").asText();
        if (payload.path("isError").asBoolean() || !t.contains(text)) {
            throw new IllegalStateException(payload.toString());
        }
        return t;
    }

    /** Warm-up (a tenth, at least 5) then {@code n} timed calls. */
    private static List<Long> time(int n, Callable<String> call) throws Exception {
        for (int i = 0; i < Math.max(5, n / 10); i++) {
            call.call();
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            call.call();
            out.add(System.nanoTime() - t);
        }
        return out;
    }

    private static double ms(List<Long> samples, int pct) {
        List<Long> s = new ArrayList<>(samples);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(pct / 100.0 * s.size()) - 1)) / 1e6;
    }

    private static void copy(String resource, Path target) throws Exception {
        Files.createDirectories(target.getParent());
        try (InputStream in = McpBench.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing: build the host module first");
            }
            Files.copy(in, target);
        }
    }
}
