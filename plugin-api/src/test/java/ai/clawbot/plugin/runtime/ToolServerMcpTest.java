package ai.clawbot.plugin.runtime;

import static ai.clawbot.plugin.runtime.McpLineClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.plugin.api.Skill;
import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolHandler;
import ai.clawbot.plugin.api.ToolResult;
import ai.clawbot.plugin.manifest.ManifestReader;
import ai.clawbot.plugin.manifest.SkillManifest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.server.McpSyncServer;
import java.io.ByteArrayInputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tool server spoken to over a pair of pipes, exactly as the host speaks to it over container stdio. */
class ToolServerMcpTest {

    private static final String MANIFEST = """
            id: echo-skill
            version: 0.0.7
            description: Echo for tests.
            tools:
              - name: echo
                description: Echo the text back.
                effect: read
                input:
                  type: object
                  required: [text]
                  properties:
                    text: { type: string }
              - name: fail
                description: Always refuses.
                effect: write
                input: { type: object }
              - name: crash
                description: Always throws.
                effect: write
                input: { type: object }
              - name: quiet
                description: Refuses without a message.
                effect: read
                input: { type: object }
            sandbox: { image: clawbot/skill-jre:17 }
            permissions: { workspace: none }
            network: none
            """;

    private static final Map<String, ToolHandler> HANDLERS = Map.of(
            "echo", (args, ctx) -> ToolResult.of("echo: " + args.path("text").asText(),
                    JSON.createObjectNode().put("echoed", args.path("text").asText())
                            .put("workspace", ctx.workspace().toString())
                            .put("mode", ctx.setting("mode").orElse("unset"))),
            "fail", (args, ctx) -> {
                throw new ToolException("EXISTS", "note 'a.md' exists");
            },
            "crash", (args, ctx) -> {
                throw new IllegalStateException("boom");
            },
            "quiet", (args, ctx) -> {
                throw new ToolException("NOPE", null);
            });

    private McpSyncServer server;
    private McpLineClient client;

    static SkillManifest manifest() throws Exception {
        return ManifestReader.read(new ByteArrayInputStream(MANIFEST.getBytes(StandardCharsets.UTF_8)));
    }

    @BeforeEach
    void start() throws Exception {
        PipedOutputStream clientOut = new PipedOutputStream();
        PipedInputStream serverIn = new PipedInputStream(clientOut, 1 << 16);
        PipedOutputStream serverOut = new PipedOutputStream();
        PipedInputStream clientIn = new PipedInputStream(serverOut, 1 << 16);
        Skill skill = () -> HANDLERS;
        ToolContext ctx = new ToolContext(Path.of("/workspace"), Map.of("mode", "test"));
        server = ToolServer.create(manifest(), skill, ctx).serve(serverIn, serverOut);
        client = new McpLineClient(clientIn, clientOut);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    private JsonNode initialize() throws Exception {
        ObjectNode params = JSON.createObjectNode().put("protocolVersion", "2025-06-18");
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "test-client").put("version", "1.0");
        JsonNode response = client.call(1, "initialize", params);
        client.send(McpLineClient.notification("notifications/initialized"));
        return response;
    }

    private JsonNode callTool(int id, String name, JsonNode arguments) throws Exception {
        ObjectNode params = JSON.createObjectNode().put("name", name);
        params.set("arguments", arguments);
        JsonNode response = client.call(id, "tools/call", params);
        assertThat(response.has("error")).as(response.toString()).isFalse();
        return response.path("result");
    }

    @Test
    void initializeAnswersWithTheManifestIdentityAndToolsCapability() throws Exception {
        JsonNode r = initialize();

        assertThat(r.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(r.path("id").asInt()).isEqualTo(1);
        // mcp-core 1.1.5's StdioServerTransportProvider.protocolVersions() is List.of("2024-11-05"): a client
        // asking for 2025-06-18 is answered with 2024-11-05 (MCP version negotiation). Update on SDK upgrades.
        assertThat(r.path("result").path("protocolVersion").asText()).isEqualTo("2024-11-05");
        assertThat(r.path("result").path("serverInfo").path("name").asText()).isEqualTo("echo-skill");
        assertThat(r.path("result").path("serverInfo").path("version").asText()).isEqualTo("0.0.7");
        assertThat(r.path("result").path("capabilities").has("tools")).isTrue();
        assertThat(client.silentFor(200)).as("no answer to the initialized notification").isTrue();
    }

    @Test
    void toolsListOffersEveryManifestToolWithItsInputSchema() throws Exception {
        initialize();

        JsonNode tools = client.call(2, "tools/list", JSON.createObjectNode()).path("result").path("tools");

        assertThat(tools).extracting(t -> t.path("name").asText()).containsExactlyInAnyOrder("echo", "fail", "crash", "quiet");
        JsonNode echo = null;
        for (JsonNode t : tools) {
            if (t.path("name").asText().equals("echo")) {
                echo = t;
            }
        }
        assertThat(echo).isNotNull();
        assertThat(echo.path("description").asText()).isEqualTo("Echo the text back.");
        assertThat(echo.path("inputSchema").path("type").asText()).isEqualTo("object");
        assertThat(echo.path("inputSchema").path("properties").path("text").path("type").asText()).isEqualTo("string");
        assertThat(echo.path("inputSchema").path("required").toString()).isEqualTo("[\"text\"]");
    }

    @Test
    void pipelinedRequestsAreEachAnswered() throws Exception {
        // Answers go out through one serialised sink: written from several threads at once, some were refused
        // ("Failed to enqueue message") and their calls waited for an answer that never came.
        initialize();
        int n = 400;
        for (int id = 10; id < 10 + n; id++) {
            if (id % 2 == 0) {
                client.send(McpLineClient.request(id, "ping", null));
            } else {
                ObjectNode params = JSON.createObjectNode().put("name", "echo");
                params.putObject("arguments").put("text", "m" + id);
                client.send(McpLineClient.request(id, "tools/call", params));
            }
        }
        java.util.Set<Integer> answered = new java.util.TreeSet<>();
        while (answered.size() < n) {
            JsonNode msg = client.next();
            assertThat(msg.has("error")).as(msg.toString()).isFalse();
            answered.add(msg.path("id").asInt());
        }
        assertThat(answered).hasSize(n).first().isEqualTo(10);
    }

    @Test
    void toolsCallRunsTheHandlerWithTheArgumentsAndContext() throws Exception {
        initialize();

        JsonNode result = callTool(3, "echo", JSON.createObjectNode().put("text", "hi"));

        assertThat(result.path("isError").asBoolean(true)).isFalse();
        assertThat(result.path("content")).hasSize(1);
        assertThat(result.path("content").get(0).path("type").asText()).isEqualTo("text");
        assertThat(result.path("content").get(0).path("text").asText()).isEqualTo("echo: hi");
        assertThat(result.path("structuredContent").path("echoed").asText()).isEqualTo("hi");
        assertThat(result.path("structuredContent").path("workspace").asText()).isEqualTo("/workspace");
        assertThat(result.path("structuredContent").path("mode").asText()).isEqualTo("test");
    }

    @Test
    void toolExceptionBecomesAnErrorResultWithItsCode() throws Exception {
        initialize();

        JsonNode result = callTool(4, "fail", JSON.createObjectNode());

        assertThat(result.path("isError").asBoolean(false)).isTrue();
        assertThat(result.path("content").get(0).path("text").asText()).startsWith("EXISTS").isEqualTo("EXISTS: note 'a.md' exists");
        assertThat(result.path("structuredContent").path("error").path("code").asText()).isEqualTo("EXISTS");
        assertThat(result.path("structuredContent").path("error").path("message").asText()).isEqualTo("note 'a.md' exists");
    }

    @Test
    void unexpectedHandlerExceptionBecomesAnInternalErrorResultAndTheServerKeepsServing() throws Exception {
        initialize();

        JsonNode crash = callTool(5, "crash", JSON.createObjectNode());
        JsonNode after = callTool(6, "echo", JSON.createObjectNode().put("text", "still here"));

        assertThat(crash.path("isError").asBoolean(false)).isTrue();
        assertThat(crash.path("content").get(0).path("text").asText()).isEqualTo("INTERNAL: IllegalStateException: boom");
        assertThat(after.path("content").get(0).path("text").asText()).isEqualTo("echo: still here");
    }

    /**
     * Regression test (was a bug, now fixed): ToolServer.call, line 87, builds the structured error with
     * Map.of("code", e.code(), "message", e.getMessage()), and Map.of rejects null. A ToolException without
     * a message (legal: its constructor accepts null) therefore throws NullPointerException inside the
     * catch block; the SDK answers with a bare JSON-RPC error {"code":-32603,"message":"Internal error"},
     * and the caller never sees the tool's code ("NOPE") or an isError result.
     */
    @Test
    void toolExceptionWithoutAMessageStillBecomesAnErrorResultWithItsCode() throws Exception {
        initialize();
        ObjectNode params = JSON.createObjectNode().put("name", "quiet");
        params.putObject("arguments");

        JsonNode response = client.call(8, "tools/call", params);

        assertThat(response.has("error")).as(response.toString()).isFalse();
        assertThat(response.path("result").path("isError").asBoolean(false)).isTrue();
        assertThat(response.path("result").path("content").get(0).path("text").asText()).startsWith("NOPE");
    }

    @Test
    void unknownToolIsAJsonRpcInvalidParamsError() throws Exception {
        initialize();
        ObjectNode params = JSON.createObjectNode().put("name", "delete_everything");
        params.putObject("arguments");

        JsonNode response = client.call(7, "tools/call", params);

        assertThat(response.has("result")).as(response.toString()).isFalse();
        assertThat(response.path("error").path("code").asInt()).isEqualTo(-32602); // JSON-RPC invalid params
        assertThat(response.path("error").toString()).contains("delete_everything");
    }

    @Test
    void createRefusesASkillWithoutAHandlerForADeclaredTool() throws Exception {
        Skill partial = () -> Map.of("echo", HANDLERS.get("echo"), "fail", HANDLERS.get("fail"),
                "quiet", HANDLERS.get("quiet"));

        assertThatThrownBy(() -> ToolServer.create(manifest(), partial, new ToolContext(Path.of("/w"), Map.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("skill echo-skill has no handler for tool crash");
    }
}
