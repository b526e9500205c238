package ai.clawbot.host.agents;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agents of a gateway: those under {@code agents.list[]}, or, when none are configured, the three built-in
 * ones ({@code default}, {@code coder}, {@code researcher}) so that a fresh install has an agent to talk to.
 * The default agent is the one marked {@code default: true}, else the first.
 */
public final class AgentRegistry {

    private final List<AgentDefinition> agents;

    private AgentRegistry(List<AgentDefinition> agents) {
        this.agents = List.copyOf(agents);
    }

    public static AgentRegistry builtIn() {
        return new AgentRegistry(List.of(AgentDefinition.builtIn(AgentType.DEFAULT, true),
                AgentDefinition.builtIn(AgentType.CODER, false), AgentDefinition.builtIn(AgentType.RESEARCHER, false)));
    }

    /** From the {@code agents} section of a validated config (the schema has checked shapes and ids). */
    public static AgentRegistry fromConfig(JsonNode agentsSection) {
        JsonNode list = agentsSection == null ? null : agentsSection.get("list");
        if (list == null || !list.isArray() || list.isEmpty()) {
            return builtIn();
        }
        List<AgentDefinition> out = new ArrayList<>();
        boolean anyDefault = false;
        for (JsonNode a : list) {
            String id = a.path("id").asText();
            AgentType type = a.has("type") ? AgentType.parse(a.get("type").asText())
                    : switch (id) {
                        case "coder" -> AgentType.CODER;
                        case "researcher" -> AgentType.RESEARCHER;
                        default -> AgentType.DEFAULT;
                    };
            boolean isDefault = a.path("default").asBoolean(false) && !anyDefault;
            anyDefault |= isDefault;
            JsonNode model = a.get("model");
            String modelRef = model == null ? null : model.isTextual() ? model.asText() : model.path("primary").asText(null);
            out.add(new AgentDefinition(id, a.path("name").asText(null), type, isDefault, modelRef,
                    a.path("systemPrompt").asText(null), strings(a.get("skills")), strings(a.path("tools").get("allow")),
                    strings(a.path("tools").get("deny")), a.path("workspace").asText(null), a));
        }
        if (!anyDefault) {
            AgentDefinition first = out.get(0);
            out.set(0, new AgentDefinition(first.id(), first.name(), first.type(), true, first.model(), first.systemPrompt(),
                    first.skills(), first.toolsAllow(), first.toolsDeny(), first.workspace(), first.config()));
        }
        return new AgentRegistry(out);
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        if (arr != null && arr.isArray()) {
            arr.forEach(x -> out.add(x.asText()));
        }
        return out;
    }

    public List<AgentDefinition> all() {
        return agents;
    }

    public AgentDefinition defaultAgent() {
        return agents.stream().filter(AgentDefinition::isDefault).findFirst().orElse(agents.get(0));
    }

    public Optional<AgentDefinition> find(String id) {
        return agents.stream().filter(a -> a.id().equals(id)).findFirst();
    }
}
