package ai.clawbot.plugin.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One tool: its name, what it does, the JSON Schema of its input, its effect class (which decides,
 * later, whether a call needs an operator's approval), and example arguments (each valid against the
 * input; the skill-testkit contract calls the tool with every one).
 */
public record ToolDeclaration(String name, String description, JsonNode input, Effect effect, List<JsonNode> examples) {

    @JsonCreator
    public ToolDeclaration {
        examples = examples == null ? List.of() : List.copyOf(examples);
    }

    public ToolDeclaration(String name, String description, JsonNode input, Effect effect) {
        this(name, description, input, effect, List.of());
    }
}
