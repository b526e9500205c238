package ai.clawbot.host.agents;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Which model an agent calls and what it falls back to: the agent's {@code model} (a string or OpenClaw's
 * {@code {primary, fallbacks}}), else {@code agents.defaults.model} in the same two forms; null primary means the
 * route of the agent's role.
 */
public record AgentModelChoice(String primary, List<String> fallbacks) {

    public AgentModelChoice {
        fallbacks = List.copyOf(fallbacks);
    }

    public static AgentModelChoice of(AgentDefinition agent, JsonNode defaults) {
        JsonNode own = agent.config().get("model");
        if (agent.model() != null) {
            return new AgentModelChoice(agent.model(), own == null ? List.of() : fallbacks(own));
        }
        JsonNode fallback = defaults == null ? null : defaults.get("model");
        if (fallback == null || fallback.isNull()) {
            return new AgentModelChoice(null, List.of());
        }
        return new AgentModelChoice(fallback.isTextual() ? fallback.textValue() : fallback.path("primary").asText(null),
                fallbacks(fallback));
    }

    private static List<String> fallbacks(JsonNode model) {
        List<String> out = new ArrayList<>();
        model.path("fallbacks").forEach(f -> out.add(f.asText()));
        return out;
    }
}
