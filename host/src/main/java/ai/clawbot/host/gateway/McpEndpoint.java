package ai.clawbot.host.gateway;

import ai.clawbot.host.agents.AgentDefinition;
import ai.clawbot.host.agents.AgentRegistry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The gateway's MCP endpoint (streamable HTTP, stateless: every message is one POST): {@code POST /mcp} for the
 * default agent, {@code /mcp/<agentId>} (or header {@code x-clawbot-agent}) for another; header
 * {@code x-clawbot-session-key} picks the session (default {@code agent:<id>:mcp}). Off unless
 * {@code gateway.http.endpoints.mcp.enabled}; the bearer is the gateway token, with the lockout the other HTTP
 * endpoints share. The MCP itself is the SDK's ({@link ai.clawbot.host.mcp.McpDoor}).
 */
final class McpEndpoint {

    private static final int MAX_BODY_BYTES = ProtocolContext.MAX_PAYLOAD_BYTES;
    static final EndpointSwitch SWITCH = new EndpointSwitch("mcp",
            "the MCP endpoint is off; set %s to true in openclaw.json to serve it", McpEndpoint::refuse);

    private final ProtocolContext ctx;
    private final AtomicReference<GatewaySettings> settings;
    private final Supplier<Services> services;

    McpEndpoint(ProtocolContext ctx, AtomicReference<GatewaySettings> settings, Supplier<Services> services) {
        this.ctx = ctx;
        this.settings = settings;
        this.services = services;
    }

    void routing(HttpRouting.Builder routing, HttpAuth auth) {
        // Off means 404 for everyone, token or not.
        SWITCH.guard(routing, settings::get, "/mcp", "/mcp/*");
        // Stateless: no server-initiated stream (GET) and no session to end (DELETE). Answered before the token
        // check, so a client's background GET neither counts as a login nor resets a caller's failed attempts.
        for (String path : java.util.List.of("/mcp", "/mcp/{agent}")) {
            routing.get(path, this::notAllowed);
            routing.delete(path, this::notAllowed);
        }
        for (String path : java.util.List.of("/mcp", "/mcp/*")) {
            auth.protect(routing, path, McpEndpoint::refuse);
        }
        routing.post("/mcp", (req, res) -> handle(req, res, null));
        routing.post("/mcp/{agent}", (req, res) -> handle(req, res, req.path().pathParameters().get("agent")));
    }

    private void notAllowed(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.ALLOW, "POST");
        error(res, Status.METHOD_NOT_ALLOWED_405, "this MCP endpoint is stateless: POST each message");
    }

    private void handle(ServerRequest req, ServerResponse res, String pathAgent) throws IOException {
        Services s = services.get();
        if (!ctx.readiness().ready() || s == null) {
            res.header(HeaderNames.RETRY_AFTER, "1");
            error(res, Status.SERVICE_UNAVAILABLE_503, "the gateway is " + ctx.readiness().state().name().toLowerCase());
            return;
        }
        AgentRegistry agents = settings.get().agents();
        String agentId = pathAgent != null ? pathAgent : req.headers().first(HeaderNames.create("x-clawbot-agent"))
                .orElse(agents.defaultAgent().id());
        Optional<AgentDefinition> agent = agents.find(agentId);
        if (agent.isEmpty()) {
            error(res, Status.NOT_FOUND_404, "no agent '" + agentId + "'");
            return;
        }
        String session = req.headers().first(HeaderNames.create("x-clawbot-session-key")).orElse("mcp");
        String sessionKey;
        try {
            sessionKey = ai.clawbot.host.agents.SessionKeys.ofAgent(session, agentId);
        } catch (IllegalArgumentException e) {
            error(res, Status.BAD_REQUEST_400, e.getMessage());
            return;
        }
        byte[] body;
        try (InputStream in = req.content().inputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            error(res, Status.REQUEST_ENTITY_TOO_LARGE_413, "the body exceeds " + MAX_BODY_BYTES + " bytes");
            return;
        }
        s.mcp().handle(agent.get(), sessionKey, body, res);
    }

    /** A refusal (of the switch or the token check) as {@link #error}: MCP has no error codes of its own here. */
    private static void refuse(ServerResponse res, Status status, String code, String message) {
        error(res, status, message);
    }

    /** A JSON-RPC error object without an id: what MCP clients read on an HTTP error. */
    private static void error(ServerResponse res, Status status, String message) {
        ObjectNode body = Frames.JSON.createObjectNode().put("jsonrpc", "2.0").putNull("id");
        body.putObject("error").put("code", -32600).put("message", message);
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
