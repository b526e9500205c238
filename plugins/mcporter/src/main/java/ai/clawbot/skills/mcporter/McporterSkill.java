package ai.clawbot.skills.mcporter;

import ai.clawbot.plugin.api.Skill;
import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolHandler;
import ai.clawbot.plugin.api.ToolResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * mcporter's tools over the MCP servers the operator configured ({@code mcpServers} in this skill's settings):
 * list them, list a server's tools (with input schemas) and resources, read a resource, call a tool. A tool argument
 * only ever names a configured server; the command or URL comes from the settings file alone.
 */
public final class McporterSkill implements Skill {

    static final int DEFAULT_TIMEOUT_MS = 20_000;
    static final int DEFAULT_INIT_TIMEOUT_MS = 30_000;
    static final int DEFAULT_MAX_RESULT = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final McpConnections connections;

    /** The skill as the tool server creates it: the egress proxy from this process's environment. */
    public McporterSkill() {
        this(System.getenv());
    }

    McporterSkill(Map<String, String> env) {
        this.connections = new McpConnections(env);
    }

    @Override
    public Map<String, ToolHandler> tools() {
        return Map.of("list_servers", this::listServers, "list_tools", this::listTools, "call", this::call,
                "list_resources", this::listResources, "read_resource", this::readResource);
    }

    private ToolResult listServers(JsonNode args, ToolContext ctx) throws ToolException {
        ArrayNode out = NODES.arrayNode();
        StringBuilder text = new StringBuilder();
        for (ServerEntry e : servers(ctx).values()) {
            boolean running = connections.running(e.name());
            out.addObject().put("name", e.name()).put("transport", e.stdio() ? "stdio" : "http")
                    .put("target", e.target()).put("running", running)
                    .put("description", e.description() == null ? "" : e.description());
            text.append(e.name()).append(" (").append(e.stdio() ? "stdio" : "http").append(") ").append(e.target())
                    .append(running ? " [running]" : "").append('\n');
        }
        return ToolResult.of(text.length() == 0 ? "no MCP servers are configured (plugins.entries.mcporter.config.mcpServers)"
                : text.toString().strip(), out);
    }

    private ToolResult listTools(JsonNode args, ToolContext ctx) throws ToolException {
        ServerEntry e = server(args, ctx);
        List<McpSchema.Tool> tools = connections.run(e, startDeadline(e, ctx), deadline(e, ctx), client -> {
            List<McpSchema.Tool> all = new ArrayList<>();
            McpSchema.ListToolsResult page = client.listTools();
            all.addAll(page.tools());
            while (page.nextCursor() != null && all.size() < 10_000) {
                page = client.listTools(page.nextCursor());
                all.addAll(page.tools());
            }
            return all;
        });
        ArrayNode out = NODES.arrayNode();
        StringBuilder text = new StringBuilder();
        for (McpSchema.Tool t : tools) {
            ObjectNode o = out.addObject().put("name", t.name()).put("description", t.description() == null ? "" : t.description());
            o.set("inputSchema", JSON.valueToTree(t.inputSchema()));
            text.append(t.name()).append(": ").append(t.description() == null ? "" : t.description().strip()).append('\n');
        }
        return capped(ctx, text.toString().strip(), out);
    }

    private ToolResult call(JsonNode args, ToolContext ctx) throws ToolException {
        ServerEntry e = server(args, ctx);
        @SuppressWarnings("unchecked")
        Map<String, Object> arguments = args.has("arguments") ? JSON.convertValue(args.get("arguments"), Map.class) : Map.of();
        McpSchema.CallToolResult r = connections.run(e, startDeadline(e, ctx), deadline(e, ctx),
                client -> client.callTool(new McpSchema.CallToolRequest(args.path("tool").asText(), arguments)));
        String text = ResultText.of(r.content());
        if (Boolean.TRUE.equals(r.isError())) {
            throw new ToolException("SERVER_TOOL_ERROR", ResultText.cut(text, maxBytes(ctx)));
        }
        return capped(ctx, text, r.structuredContent() == null ? null : JSON.valueToTree(r.structuredContent()));
    }

    private ToolResult listResources(JsonNode args, ToolContext ctx) throws ToolException {
        ServerEntry e = server(args, ctx);
        McpSchema.ListResourcesResult r = connections.run(e, startDeadline(e, ctx), deadline(e, ctx), client -> client.listResources());
        ArrayNode out = NODES.arrayNode();
        StringBuilder text = new StringBuilder();
        for (McpSchema.Resource res : r.resources()) {
            out.addObject().put("uri", res.uri()).put("name", res.name())
                    .put("mimeType", res.mimeType() == null ? "" : res.mimeType());
            text.append(res.uri()).append("  ").append(res.name()).append(res.mimeType() == null ? "" : " (" + res.mimeType() + ")")
                    .append('\n');
        }
        return capped(ctx, text.length() == 0 ? "no resources" : text.toString().strip(), out);
    }

    private ToolResult readResource(JsonNode args, ToolContext ctx) throws ToolException {
        ServerEntry e = server(args, ctx);
        String uri = args.path("uri").asText();
        McpSchema.ReadResourceResult r = connections.run(e, startDeadline(e, ctx), deadline(e, ctx),
                client -> client.readResource(new McpSchema.ReadResourceRequest(uri)));
        return capped(ctx, ResultText.ofResources(r.contents()), null);
    }

    private static ToolResult capped(ToolContext ctx, String text, JsonNode structured) {
        int max = maxBytes(ctx);
        String cut = ResultText.cut(text, max);
        // Structured data is dropped with the text it mirrors when that was cut: the cap bounds the whole result.
        boolean fits = structured == null || structured.toString().length() <= max;
        return ToolResult.of(cut, cut.equals(text) && fits ? structured : null);
    }

    private static int maxBytes(ToolContext ctx) {
        return ctx.settings().path("max_result_bytes").asInt(DEFAULT_MAX_RESULT);
    }

    private static Duration deadline(ServerEntry e, ToolContext ctx) {
        int ms = e.timeoutMs() != null ? e.timeoutMs() : ctx.settings().path("timeout_ms").asInt(DEFAULT_TIMEOUT_MS);
        return Duration.ofMillis(ms);
    }

    /** Starting a server (process start and MCP initialize) has its own deadline: a Node server may load slowly. */
    private static Duration startDeadline(ServerEntry e, ToolContext ctx) {
        int ms = e.initTimeoutMs() != null ? e.initTimeoutMs() : ctx.settings().path("init_timeout_ms").asInt(DEFAULT_INIT_TIMEOUT_MS);
        return Duration.ofMillis(ms);
    }

    private static ServerEntry server(JsonNode args, ToolContext ctx) throws ToolException {
        String name = args.path("server").asText();
        Map<String, ServerEntry> all = servers(ctx);
        ServerEntry e = all.get(name);
        if (e == null) {
            throw new ToolException("UNKNOWN_SERVER", "no MCP server named '" + name + "' is configured; known: "
                    + String.join(", ", all.keySet()));
        }
        return e;
    }

    /**
     * A server's header values: the settings hold only references ({@code ${secret:NAME}}, {@code op://…}); the host
     * resolved them into the mounted settings-secrets file, read here by each header's JSON Pointer.
     */
    private static Map<String, String> headers(String server, JsonNode entry, ToolContext ctx) throws ToolException {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> h : entry.path("headers").properties()) {
            String pointer = "/mcpServers/" + escape(server) + "/headers/" + escape(h.getKey());
            try {
                out.put(h.getKey(), ctx.settingSecret(pointer).orElseThrow(() -> new ToolException("SECRET_UNAVAILABLE",
                        "header " + h.getKey() + " of server '" + server + "' was not resolved by the host")));
            } catch (java.io.IOException e) {
                throw new ToolException("SECRET_UNAVAILABLE", "cannot read the resolved headers: " + e.getMessage());
            }
        }
        return out;
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /** The configured servers, by name; only ever from the operator's settings file. */
    static Map<String, ServerEntry> servers(ToolContext ctx) throws ToolException {
        Map<String, ServerEntry> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> s : ctx.settings().path("mcpServers").properties()) {
            try {
                out.put(s.getKey(), ServerEntry.from(s.getKey(), s.getValue()).withHeaders(headers(s.getKey(), s.getValue(), ctx)));
            } catch (IllegalArgumentException ex) {
                throw new ToolException("SERVER_CONFIG", ex.getMessage());
            }
        }
        return out;
    }
}
