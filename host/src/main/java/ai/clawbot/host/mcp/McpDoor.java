package ai.clawbot.host.mcp;

import ai.clawbot.host.agents.AgentDefinition;
import ai.clawbot.host.agents.ToolInvoker;
import ai.clawbot.host.sandbox.ToolOutcome;
import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.host.tools.AgentToolInvoker;
import ai.clawbot.host.tools.GateOutcome;
import ai.clawbot.host.tools.ToolGate;
import ai.clawbot.plugin.manifest.Effect;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The gateway as an MCP server (the {@value #DOOR} door): for one agent and session, an MCP Java SDK stateless server
 * whose tools are the ones that agent's policy offers ({@code skill__tool}, with the manifest's description and input
 * schema), each {@code tools/call} going through the {@link ToolGate} exactly as {@code tools.invoke} does: policy,
 * approvals (the HTTP request waits while an operator decides), narrowing, audit. A tool the list does not hold is
 * refused by the gate (audited), never run.
 */
public final class McpDoor {

    /** The door's name in the audit log. */
    public static final String DOOR = "mcp";
    static final String SEPARATOR = "__";
    private static final String AGENT = "clawbot.agent";
    private static final String SESSION = "clawbot.session";
    private static final int MAX_CACHED = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<SkillCatalog> catalog;
    private final ToolGate gate;
    private final BiFunction<AgentDefinition, String, Set<String>> visible;
    private final McpJsonMapper json = new JacksonMcpJsonMapper(JSON);
    private final Map<String, Served> servers = new ConcurrentHashMap<>();

    /**
     * @param visible the {@code skill.tool} names the policy chain lets this agent see in this session (what the
     *                agent loop offers its model)
     */
    public McpDoor(Supplier<SkillCatalog> catalog, ToolGate gate, BiFunction<AgentDefinition, String, Set<String>> visible) {
        this.catalog = catalog;
        this.gate = gate;
        this.visible = visible;
    }

    /** One SDK server, its transport, and the tool names it lists. */
    private record Served(McpStatelessSyncServer server, HelidonStatelessTransport transport, Set<String> names) {
    }

    /** Handles one POSTed JSON-RPC message for {@code agent} in {@code sessionKey} and writes the answer. */
    public void handle(AgentDefinition agent, String sessionKey, byte[] body, ServerResponse res) throws IOException {
        Served served = served(agent, sessionKey);
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, new String(body, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            served.transport().error(res, Status.BAD_REQUEST_400, McpSchema.ErrorCodes.PARSE_ERROR,
                    "the body is not a JSON-RPC message");
            return;
        }
        McpTransportContext context = McpTransportContext.create(Map.of(AGENT, agent, SESSION, sessionKey));
        if (message instanceof McpSchema.JSONRPCRequest request && McpSchema.METHOD_TOOLS_CALL.equals(request.method())) {
            McpSchema.CallToolRequest call = json.convertValue(request.params(), new TypeRef<McpSchema.CallToolRequest>() {
            });
            if (call == null || call.name() == null || !served.names().contains(call.name())) {
                McpSchema.CallToolResult refused = refuseUnlisted(agent, sessionKey, call);
                served.transport().send(res, Status.OK_200, json.writeValueAsString(
                        new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, request.id(), refused, null)));
                return;
            }
        }
        served.transport().handle(message, context, res);
    }

    /** The server for this agent's current offer; rebuilt when the catalog or the offer changes. */
    private Served served(AgentDefinition agent, String sessionKey) {
        SkillCatalog current = catalog.get();
        Set<String> offered = visible.apply(agent, sessionKey);
        List<Offered> tools = new ArrayList<>();
        for (LoadedSkill s : current.skills()) {
            for (ToolDeclaration t : s.manifest().tools()) {
                if (offered.contains(s.id() + "." + t.name())) {
                    tools.add(new Offered(s.id() + SEPARATOR + t.name(), s.id(), t));
                }
            }
        }
        String key = agent.id() + "\n" + System.identityHashCode(current) + "\n"
                + String.join(",", tools.stream().map(Offered::name).sorted().toList());
        if (servers.size() > MAX_CACHED) {
            servers.clear();
        }
        return servers.computeIfAbsent(key, k -> build(tools));
    }

    private record Offered(String name, String skill, ToolDeclaration tool) {
    }

    private Served build(List<Offered> tools) {
        HelidonStatelessTransport transport = new HelidonStatelessTransport(json);
        McpServer.StatelessSyncSpecification spec = McpServer.sync(transport)
                .serverInfo("clawbot-gateway", "0.1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .jsonMapper(json)
                // Run on the request's own (virtual) thread: a call may wait minutes for an operator's approval.
                .immediateExecution(true);
        for (Offered o : tools) {
            ToolDeclaration t = o.tool();
            JsonNode input = t.input() == null ? JSON.createObjectNode().put("type", "object") : t.input();
            McpSchema.Tool tool = McpSchema.Tool.builder().name(o.name())
                    .description("[" + o.skill() + "] " + (t.description() == null ? t.name() : t.description())
                            + (t.effect() == Effect.EXTERNAL || t.effect() == Effect.SECRET ? " (waits for an operator's approval)" : ""))
                    .inputSchema(json, input.toString())
                    .annotations(new McpSchema.ToolAnnotations(null, t.effect() == Effect.READ, null, null,
                            t.effect() == Effect.EXTERNAL, null))
                    .build();
            spec.toolCall(tool, (ctx, request) -> call(ctx, o.skill(), t.name(), request));
        }
        return new Served(spec.build(), transport, Set.copyOf(tools.stream().map(Offered::name).toList()));
    }

    private McpSchema.CallToolResult call(McpTransportContext ctx, String skill, String tool, McpSchema.CallToolRequest request) {
        AgentDefinition agent = (AgentDefinition) ctx.get(AGENT);
        String sessionKey = (String) ctx.get(SESSION);
        JsonNode args = JSON.valueToTree(request.arguments() == null ? Map.of() : request.arguments());
        long t0 = System.nanoTime();
        GateOutcome outcome;
        try {
            outcome = gate.call(new ToolGate.Request(agent, sessionKey, DOOR, skill, tool, args), () -> false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR).message("the gateway is shutting down").build();
        }
        ToolInvoker.ToolResult r = AgentToolInvoker.result(outcome, (System.nanoTime() - t0) / 1_000_000);
        McpSchema.CallToolResult.Builder out = McpSchema.CallToolResult.builder().addTextContent(r.text()).isError(r.isError());
        if (outcome instanceof GateOutcome.Ran ran && ran.outcome() instanceof ToolOutcome.Ok ok
                && ok.structured() != null && ok.structured().isObject()) {
            out.structuredContent(JSON.convertValue(ok.structured(), Map.class));
        }
        return out.build();
    }

    /** A call to a name the list does not hold: refused by the gate (so audited with the policy's reason), never run. */
    private McpSchema.CallToolResult refuseUnlisted(AgentDefinition agent, String sessionKey, McpSchema.CallToolRequest call) {
        String name = call == null || call.name() == null ? "" : call.name();
        int sep = name.indexOf(SEPARATOR);
        if (sep <= 0) {
            return McpSchema.CallToolResult.builder().addTextContent("no tool '" + name + "' is offered to agent '"
                    + agent.id() + "' (tools are named skill__tool)").isError(true).build();
        }
        JsonNode args = JSON.valueToTree(call.arguments() == null ? Map.of() : call.arguments());
        GateOutcome.Refused refused = gate.refuseUnoffered(new ToolGate.Request(agent, sessionKey, DOOR,
                name.substring(0, sep), name.substring(sep + SEPARATOR.length()), args));
        return McpSchema.CallToolResult.builder().addTextContent(AgentToolInvoker.result(refused, 0).text()).isError(true).build();
    }
}
