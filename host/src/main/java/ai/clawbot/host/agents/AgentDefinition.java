package ai.clawbot.host.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Objects;

/**
 * One agent as configured under {@code agents.list[]} in {@code openclaw.json}.
 *
 * @param model  a {@code provider/model} reference; null means the route of the agent's role
 * @param config the raw entry (policy: {@code skills}, {@code tools}, {@code permissions}; {@code approvals})
 */
public record AgentDefinition(String id, String name, AgentType type, boolean isDefault, String model,
                              String systemPrompt, List<String> skills, List<String> toolsAllow,
                              List<String> toolsDeny, String workspace, JsonNode config) {

    public AgentDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        name = name == null ? id : name;
        skills = List.copyOf(skills == null ? List.of() : skills);
        toolsAllow = List.copyOf(toolsAllow == null ? List.of() : toolsAllow);
        toolsDeny = List.copyOf(toolsDeny == null ? List.of() : toolsDeny);
        config = config == null ? JsonNodeFactory.instance.objectNode() : config.deepCopy();
    }

    /** The agent's entry in {@code agents.list[]} as configured (a copy); built-in agents carry their defaults. */
    @Override
    public JsonNode config() {
        return config.deepCopy();
    }

    static AgentDefinition builtIn(AgentType type, boolean isDefault) {
        String name = switch (type) {
            case DEFAULT -> "Assistant";
            case CODER -> "Coder";
            case RESEARCHER -> "Researcher";
        };
        // A researcher gathers and reports: it reads the workspace but does not write it unless configured to.
        JsonNode config = type == AgentType.RESEARCHER
                ? JsonNodeFactory.instance.objectNode().set("permissions",
                        JsonNodeFactory.instance.objectNode().put("workspace", "ro"))
                : JsonNodeFactory.instance.objectNode();
        return new AgentDefinition(type.id(), name, type, isDefault, null, null, List.of(), List.of(), List.of(), null, config);
    }
}
