package ai.clawbot.host.agents;

import java.util.List;
import java.util.Objects;

/**
 * One agent as configured under {@code agents.list[]} in {@code openclaw.json}.
 *
 * @param model a {@code provider/model} reference or a routing role; null means the routing default
 */
public record AgentDefinition(String id, String name, AgentType type, boolean isDefault, String model,
                              String systemPrompt, List<String> skills, List<String> toolsAllow,
                              List<String> toolsDeny, String workspace) {

    public AgentDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        name = name == null ? id : name;
        skills = List.copyOf(skills == null ? List.of() : skills);
        toolsAllow = List.copyOf(toolsAllow == null ? List.of() : toolsAllow);
        toolsDeny = List.copyOf(toolsDeny == null ? List.of() : toolsDeny);
    }

    static AgentDefinition builtIn(AgentType type, boolean isDefault) {
        String name = switch (type) {
            case DEFAULT -> "Assistant";
            case CODER -> "Coder";
            case RESEARCHER -> "Researcher";
        };
        return new AgentDefinition(type.id(), name, type, isDefault, null, null, List.of(), List.of(), List.of(), null);
    }
}
