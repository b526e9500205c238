package ai.clawbot.plugin.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * One tool: its name, what it does, the JSON Schema of its input, its effect class (which decides,
 * later, whether a call needs an operator's approval), example arguments (each valid against the
 * input; the skill-testkit contract calls the tool with every one), and optionally how its approval is previewed.
 */
public record ToolDeclaration(String name, String description, JsonNode input, Effect effect, List<JsonNode> examples,
                              ToolApproval approval) {

    @JsonCreator
    public ToolDeclaration {
        examples = examples == null ? List.of() : List.copyOf(examples);
    }

    public ToolDeclaration(String name, String description, JsonNode input, Effect effect, List<JsonNode> examples) {
        this(name, description, input, effect, examples, null);
    }

    public ToolDeclaration(String name, String description, JsonNode input, Effect effect) {
        this(name, description, input, effect, List.of(), null);
    }

    /** The tool the gateway calls to show the operator what a call would do, if this tool declares one. */
    public Optional<String> previewTool() {
        return Optional.ofNullable(approval).map(ToolApproval::preview);
    }
}
