package ai.clawbot.host.security;

import java.util.List;

/** The gateway's MCP endpoint switched on: MCP clients holding the gateway token can call the default agent's tools. */
record McpEndpointCheck() implements AuditCheck {

    static final String ID = "gateway.http.mcp_endpoint_enabled";

    @Override
    public List<Finding> run(AuditContext c) {
        boolean on = c.config().path("gateway").path("http").path("endpoints").path("mcp").path("enabled").asBoolean(false);
        if (!on) {
            return List.of();
        }
        return List.of(Finding.warn(ID, "the MCP endpoint /mcp is on",
                "any MCP client holding the gateway token can list and call the tools agents' policies offer (through the "
                        + "same gate: policy, approvals, audit), with no device identity; leave it off unless a client needs it",
                "set gateway.http.endpoints.mcp.enabled to false if nothing uses /mcp, and narrow the agents' tools"));
    }
}
