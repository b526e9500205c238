package ai.clawbot.host.security;

import java.util.List;

/** The OpenAI-compatible {@code /v1} endpoints switched on: a second door (bearer token, no device identity, no scopes). */
record OpenAiEndpointsCheck() implements AuditCheck {

    static final String ID = "gateway.http.openai_endpoints_enabled";

    @Override
    public List<Finding> run(AuditContext c) {
        boolean on = c.config().path("gateway").path("http").path("endpoints").path("chatCompletions").path("enabled")
                .asBoolean(false);
        if (!on) {
            return List.of();
        }
        return List.of(Finding.warn(ID, "the OpenAI-compatible /v1 endpoints are on",
                "POST /v1/chat/completions and GET /v1/models run agents for anyone holding the gateway token, with full"
                        + " operator rights and no device identity; leave them off unless a client needs them",
                "set gateway.http.endpoints.chatCompletions.enabled to false if nothing uses /v1"));
    }
}
