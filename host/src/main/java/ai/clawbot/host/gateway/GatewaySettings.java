package ai.clawbot.host.gateway;

import ai.clawbot.host.agents.AgentRegistry;
import ai.clawbot.host.gateway.auth.AuthRateLimiter;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parts of a validated {@code openclaw.json} the running gateway uses beyond bind, port and token.
 *
 * @param tickIntervalMs   how often {@code tick} keepalives go out
 * @param enabledEndpoints the HTTP endpoints switched on ({@code gateway.http.endpoints.<name>.enabled}; all are off
 *                         by default): {@code chatCompletions} (the {@code /v1} endpoints), {@code mcp}
 */
public record GatewaySettings(List<String> allowedOrigins, AuthRateLimiter.Settings rateLimit, long tickIntervalMs,
                              Set<String> enabledEndpoints, AgentRegistry agents, JsonNode agentDefaults,
                              JsonNode models, JsonNode plugins) {

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
        enabledEndpoints = Set.copyOf(enabledEndpoints);
    }

    /** Whether {@code gateway.http.endpoints.<name>.enabled} is true ({@link EndpointSwitch}). */
    public boolean endpointEnabled(String name) {
        return enabledEndpoints.contains(name);
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
        Set<String> endpoints = new TreeSet<>();
        gw.path("http").path("endpoints").properties().forEach(e -> {
            if (e.getValue().path("enabled").asBoolean(false)) {
                endpoints.add(e.getKey());
            }
        });
        AgentRegistry agents = AgentRegistry.fromConfig(config.get("agents"));
        // Policies are read again on every run; a bad one must be refused here, at start or at config.patch.
        ai.clawbot.host.policy.PolicyLayer.fromJson("global", config.path("agents").path("defaults"));
        agents.all().forEach(a -> ai.clawbot.host.policy.PolicyLayer.fromJson(
                ai.clawbot.host.policy.PolicyLayer.agentName(a.id()), a.config()));
        agents.all().forEach(a -> ai.clawbot.host.policy.PreApprovals.fromJson(a.config().path("approvals")));
        return new GatewaySettings(origins, limit, tick, endpoints, agents,
                config.path("agents").path("defaults").deepCopy(), config.path("models").deepCopy(),
                config.path("plugins").deepCopy());
    }
}
