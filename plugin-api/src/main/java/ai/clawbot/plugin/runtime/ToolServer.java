package ai.clawbot.plugin.runtime;

import ai.clawbot.plugin.api.Skill;
import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolHandler;
import ai.clawbot.plugin.api.ToolResult;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The MCP server a skill runs inside its sandbox: one tool per manifest declaration, answered by the
 * skill's handler. Speaks MCP (JSON-RPC 2.0, one message per line) over the container's stdio.
 */
public final class ToolServer {

    private final SkillManifest manifest;
    private final Skill skill;
    private final ToolContext context;
    private final ObjectMapper json = new ObjectMapper();

    private ToolServer(SkillManifest manifest, Skill skill, ToolContext context) {
        this.manifest = manifest;
        this.skill = skill;
        this.context = context;
    }

    public static ToolServer create(SkillManifest manifest, Skill skill, ToolContext context) {
        Map<String, ToolHandler> handlers = skill.tools();
        for (ToolDeclaration t : manifest.tools()) {
            if (!handlers.containsKey(t.name())) {
                throw new IllegalStateException("skill " + manifest.id() + " has no handler for tool " + t.name());
            }
        }
        return new ToolServer(manifest, skill, context);
    }

    /** Starts serving on the given streams; returns the running server (close it to stop). */
    public McpSyncServer serve(InputStream in, OutputStream out) {
        JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(json);
        List<SyncToolSpecification> specs = new ArrayList<>();
        for (ToolDeclaration t : manifest.tools()) {
            McpSchema.Tool tool = McpSchema.Tool.builder()
                    .name(t.name())
                    .description(t.description())
                    .inputSchema(mapper, t.input().toString())
                    .build();
            ToolHandler handler = skill.tools().get(t.name());
            specs.add(SyncToolSpecification.builder()
                    .tool(tool)
                    .callHandler((exchange, request) -> call(handler, request.arguments()))
                    .build());
        }
        return McpServer.sync(new StdioServerTransportProvider(mapper, in, out))
                // Handlers run on the thread that reads stdin, one request after another, so every answer goes out
                // from that one thread. On worker threads, requests close together broke the transport (its sinks
                // take one writer at a time): answers were lost and the caller waited until its deadline
                // (ToolServerMcpTest.pipelinedRequestsAreEachAnswered). The host sends one call at a time anyway.
                .immediateExecution(true)
                .serverInfo(manifest.id(), manifest.version())
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(specs)
                .build();
    }

    private CallToolResult call(ToolHandler handler, Map<String, Object> arguments) {
        JsonNode args = json.valueToTree(arguments == null ? Map.of() : arguments);
        try {
            ToolResult r = handler.call(args, context);
            CallToolResult.Builder b = CallToolResult.builder().addTextContent(r.text()).isError(false);
            if (r.structured() != null) {
                b.structuredContent(json.convertValue(r.structured(), Object.class));
            }
            return b.build();
        } catch (ToolException e) {
            String code = e.code() == null ? "TOOL_ERROR" : e.code();
            String message = e.getMessage() == null ? "" : e.getMessage();
            return CallToolResult.builder()
                    .addTextContent(message.isEmpty() ? code : code + ": " + message)
                    .structuredContent(Map.of("error", Map.of("code", code, "message", message)))
                    .isError(true)
                    .build();
        } catch (RuntimeException e) {
            return CallToolResult.builder()
                    .addTextContent("INTERNAL: " + e.getClass().getSimpleName() + ": " + e.getMessage())
                    .isError(true)
                    .build();
        }
    }
}
