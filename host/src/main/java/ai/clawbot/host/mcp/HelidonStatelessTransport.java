package ai.clawbot.host.mcp;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Mono;

/**
 * The MCP Java SDK's stateless streamable-HTTP server transport, for Helidon SE's WebServer: the SDK ships it only
 * for servlets. The SDK's server handles every JSON-RPC method; this only moves one POSTed message to its handler
 * and the answer back (JSON, or 202 for a notification), as the SDK's servlet transport does.
 */
final class HelidonStatelessTransport implements McpStatelessServerTransport {

    private final McpJsonMapper json;
    private volatile McpStatelessServerHandler handler;

    HelidonStatelessTransport(McpJsonMapper json) {
        this.json = json;
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.handler = handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.empty();
    }

    /** Handles one already-parsed message with {@code context} (the agent and session) and writes the answer. */
    void handle(McpSchema.JSONRPCMessage message, McpTransportContext context, ServerResponse res) throws IOException {
        if (message instanceof McpSchema.JSONRPCRequest request) {
            McpSchema.JSONRPCResponse response = handler.handleRequest(context, request)
                    .contextWrite(c -> c.put(McpTransportContext.KEY, context)).block();
            send(res, Status.OK_200, json.writeValueAsString(response));
        } else if (message instanceof McpSchema.JSONRPCNotification notification) {
            handler.handleNotification(context, notification).contextWrite(c -> c.put(McpTransportContext.KEY, context)).block();
            res.status(Status.ACCEPTED_202).send();
        } else {
            error(res, Status.BAD_REQUEST_400, McpSchema.ErrorCodes.INVALID_REQUEST, "the server accepts requests or notifications");
        }
    }

    void send(ServerResponse res, Status status, String body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body.getBytes(StandardCharsets.UTF_8));
    }

    void error(ServerResponse res, Status status, int code, String message) throws IOException {
        send(res, status, json.writeValueAsString(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, null, null,
                new McpSchema.JSONRPCResponse.JSONRPCError(code, message, null))));
    }
}
