package ai.clawbot.host.gateway;

import ai.clawbot.host.agents.AgentRegistry;
import ai.clawbot.host.gateway.auth.AuthRateLimiter;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a validated {@code openclaw.json} the running gateway uses beyond bind, port and token.
 *
 * @param tickIntervalMs         how often {@code tick} keepalives go out
 * @param chatCompletionsEnabled whether {@code POST /v1/chat/completions} is served (off by default)
 * @param mcpEnabled             whether the MCP endpoint {@code /mcp} is served (off by default)
 */
public record GatewaySettings(List<String> allowedOrigins, AuthRateLimiter.Settings rateLimit, long tickIntervalMs,
                              boolean chatCompletionsEnabled, AgentRegistry agents, JsonNode agentDefaults,
                              JsonNode models, JsonNode plugins, boolean mcpEnabled) {

    public static final long DEFAULT_TICK_MS = 30_000;

    /** A skill's settings: {@code plugins.entries.<id>.settings}, string values only (they reach the tool server). */
    public java.util.Map<String, String> skillSettings(String skillId) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        plugins.path("entries").path(skillId).path("settings").properties().forEach(e -> {
            if (e.getValue().isValueNode()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }

    public GatewaySettings {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /**
     * From a config the schema has validated; absent keys take the defaults.
     *
     * @throws IllegalArgumentException when an agent's policy or approvals cannot be read (the message says where)
     */
    public static GatewaySettings from(JsonNode config) {
        JsonNode gw = config.path("gateway");
        List<String> origins = new ArrayList<>();
        gw.path("controlUi").path("allowedOrigins").forEach(o -> origins.add(o.asText()));
        AuthRateLimiter.Settings d = AuthRateLimiter.Settings.defaults();
        JsonNode rl = gw.path("auth").path("rateLimit");
        AuthRateLimiter.Settings limit = new AuthRateLimiter.Settings(
                rl.path("maxAttempts").asInt(d.maxAttempts()),
                rl.has("windowMs") ? Duration.ofMillis(rl.get("windowMs").asLong()) : d.window(),
                rl.has("lockoutMs") && rl.get("lockoutMs").asLong() > 0 ? Duration.ofMillis(rl.get("lockoutMs").asLong()) : d.lockout(),
                rl.path("exemptLoopback").asBoolean(d.exemptLoopback()));
        long tick = gw.path("tickIntervalMs").asLong(DEFAULT_TICK_MS);
        boolean completions = gw.path("http").path("endpoints").path("chatCompletions").path("enabled").asBoolean(false);
        AgentRegistry agents = AgentRegistry.fromConfig(config.get("agents"));
        // Policies are read again on every run; a bad one must be refused here, at start or at config.patch.
        ai.clawbot.host.policy.PolicyLayer.fromJson("global", config.path("agents").path("defaults"));
        agents.all().forEach(a -> ai.clawbot.host.policy.PolicyLayer.fromJson(
                ai.clawbot.host.policy.PolicyLayer.agentName(a.id()), a.config()));
        agents.all().forEach(a -> ai.clawbot.host.policy.PreApprovals.fromJson(a.config().path("approvals")));
        return new GatewaySettings(origins, limit, tick, completions, agents,
                config.path("agents").path("defaults").deepCopy(), config.path("models").deepCopy(),
                config.path("plugins").deepCopy(),
                gw.path("http").path("endpoints").path("mcp").path("enabled").asBoolean(false));
    }
}
