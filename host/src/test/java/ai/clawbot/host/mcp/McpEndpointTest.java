package ai.clawbot.host.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway as an MCP server, with the MCP Java SDK's own client over streamable HTTP: {@code /mcp} lists the tools
 * the default agent's policy offers (a denied one is absent, and refused and audited when called anyway), runs a
 * skill tool in its sandbox through the gate, and an {@code external} tool's call waits for an operator's approval
 * (denied, then approved) while the operator sees {@code approval.requested} on the WebSocket.
 */
@ExtendWith(DockerRequired.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class McpEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Path state;
    private Gateway gateway;
    private ProtocolClient operator;
    private McpSyncClient mcp;

    @BeforeAll
    void start() throws Exception {
        DockerRequired.requireFamilies("skill-jre", "skill-node");
        state = Files.createTempDirectory("claw-mcp-endpoint");
        McporterSkillEndToEndTest.install(state);
        TestGateway.copyBundled("trust/dev-publisher.pem", state.resolve("trust/keys/dev-publisher.pem"));
        for (String jar : List.of("workspace.jar", "obsidian.jar")) {
            TestGateway.copyBundled("plugins/" + jar, state.resolve("plugins").resolve(jar));
            TestGateway.copyBundled("plugins/" + jar + ".sig", state.resolve("plugins").resolve(jar + ".sig"));
        }
        Files.writeString(state.resolve("openclaw.json"), """
                {"gateway": {"http": {"endpoints": {"mcp": {"enabled": true}}}},
                 "agents": {"list": [{"id": "default", "default": true, "tools": {"deny": ["workspace.exec"]}}]}}
                """);
        Files.createDirectories(state.resolve("workspace"));
        Files.writeString(state.resolve("workspace").resolve("tides.md"), "# Tides\nHigh water at six.\n");
        gateway = TestGateway.start(state, new SandboxObserver() {
        });
        operator = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN);
        mcp = client(gateway, TestGateway.TOKEN);
        mcp.initialize();
    }

    @AfterAll
    void stop() throws Exception {
        if (mcp != null) {
            mcp.closeGracefully();
        }
        if (operator != null) {
            operator.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        TestGateway.deleteTree(state);
    }

    static McpSyncClient client(Gateway gateway, String token) {
        URI ws = gateway.webSocketUri();
        return McpClient.sync(HttpClientStreamableHttpTransport.builder("http://" + ws.getHost() + ":" + ws.getPort())
                        .endpoint("/mcp")
                        .customizeRequest(r -> r.header("Authorization", "Bearer " + token))
                        .build())
                .requestTimeout(Duration.ofSeconds(90))
                .build();
    }

    @Test
    void listsThePolicysToolsWithSchemasAndLeavesOutTheDeniedOne() {
        List<McpSchema.Tool> tools = mcp.listTools().tools();
        List<String> names = tools.stream().map(McpSchema.Tool::name).toList();
        assertThat(names).contains("obsidian__search_content", "workspace__list", "workspace__read", "mcporter__call")
                .doesNotContain("workspace__exec");
        McpSchema.Tool read = tools.stream().filter(t -> t.name().equals("workspace__read")).findFirst().orElseThrow();
        assertThat(read.description()).startsWith("[workspace] ");
        assertThat(read.inputSchema().required()).contains("path");
        assertThat(read.annotations().readOnlyHint()).isTrue();
    }

    @Test
    void aDeniedToolCalledAnywayIsRefusedByTheGateAndAudited() throws Exception {
        McpSchema.CallToolResult r = mcp.callTool(new McpSchema.CallToolRequest("workspace__exec", Map.of("argv", List.of("id"))));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("policy refused workspace.exec");
        List<String> audit = Files.readAllLines(state.resolve("logs").resolve("audit.jsonl"));
        assertThat(audit).anySatisfy(line -> {
            JsonNode a = JSON.readTree(line);
            assertThat(a.toString()).contains("\"mcp\"").contains("exec");
        });
    }

    @Test
    void aSkillToolRunsInItsSandboxThroughTheGateAsToolsInvokeDoes() throws Exception {
        McpSchema.CallToolResult r = mcp.callTool(new McpSchema.CallToolRequest("workspace__read", Map.of("path", "tides.md")));
        assertThat(r.isError()).as(text(r)).isFalse();
        assertThat(text(r)).contains("High water at six.");

        JsonNode viaProtocol = operator.request("tools.invoke", ProtocolClient.params().put("skill", "workspace")
                .put("tool", "read").set("args", JSON.createObjectNode().put("path", "tides.md")));
        assertThat(viaProtocol.at("/payload/text").asText()).isEqualTo(text(r));

        McpSchema.CallToolResult outside = mcp.callTool(new McpSchema.CallToolRequest("workspace__read", Map.of("path", "../openclaw.json")));
        assertThat(outside.isError()).isTrue();
        assertThat(text(outside)).contains("OUTSIDE_WORKSPACE");
    }

    @Test
    void anExternalToolWaitsForTheOperatorsDecision() throws Exception {
        CompletableFuture<McpSchema.CallToolResult> denied = CompletableFuture.supplyAsync(() -> mcp.callTool(
                new McpSchema.CallToolRequest("mcporter__call", Map.of("server", "nowhere", "tool", "echo"))));
        String id = awaitApproval();
        assertThat(denied).isNotDone();
        operator.request("approvals.resolve", ProtocolClient.params().put("id", id).put("decision", "deny"));
        McpSchema.CallToolResult d = denied.get(30, TimeUnit.SECONDS);
        assertThat(d.isError()).isTrue();
        assertThat(text(d)).contains("the operator denied mcporter.call");

        CompletableFuture<McpSchema.CallToolResult> approved = CompletableFuture.supplyAsync(() -> mcp.callTool(
                new McpSchema.CallToolRequest("mcporter__call", Map.of("server", "nowhere", "tool", "echo"))));
        operator.request("approvals.resolve", ProtocolClient.params().put("id", awaitApproval()).put("decision", "approve"));
        McpSchema.CallToolResult a = approved.get(90, TimeUnit.SECONDS);
        // It ran in the mcporter sandbox, which knows no server of that name.
        assertThat(text(a)).startsWith("UNKNOWN_SERVER");
    }

    @Test
    void theNpmMcporterCliOnNode24ListsAndCallsOurTools() throws Exception {
        Path cache = McpTestCache.require();
        Path home = Files.createTempDirectory("claw-mcporter-cli");
        try {
            Path config = home.resolve("mcporter.json");
            Files.writeString(config, JSON.createObjectNode().set("mcpServers", JSON.createObjectNode().set("clawbot",
                    JSON.createObjectNode().put("baseUrl", "http://127.0.0.1:" + gateway.webSocketUri().getPort() + "/mcp")
                            .set("headers", JSON.createObjectNode().put("Authorization", "Bearer " + TestGateway.TOKEN))))
                    .toString());
            JsonNode listed = JSON.readTree(McpTestCache.mcporter(cache, home, "--config", config.toString(), "list", "clawbot", "--json"));
            assertThat(listed.path("status").asText()).as(listed.toString()).isEqualTo("ok");
            assertThat(listed.path("tools").findValuesAsText("name")).contains("workspace__read", "obsidian__search_content")
                    .doesNotContain("workspace__exec");
            String called = McpTestCache.mcporter(cache, home, "--config", config.toString(), "call", "clawbot.workspace__read",
                    "path=tides.md");
            assertThat(called).contains("High water at six.");
        } finally {
            TestGateway.deleteTree(home);
        }
    }

    private String awaitApproval() throws Exception {
        List<JsonNode> seen = operator.eventsUntil(e -> e.path("event").asText().equals("approval.requested"), WAIT);
        JsonNode req = seen.getLast().path("payload");
        assertThat(req.path("skill").asText() + "." + req.path("tool").asText()).isEqualTo("mcporter.call");
        assertThat(req.path("effect").asText()).isEqualTo("external");
        return req.path("id").asText();
    }

    static String text(McpSchema.CallToolResult r) {
        StringBuilder out = new StringBuilder();
        r.content().forEach(c -> out.append(c instanceof McpSchema.TextContent t ? t.text() : c.toString()));
        return out.toString();
    }
}
