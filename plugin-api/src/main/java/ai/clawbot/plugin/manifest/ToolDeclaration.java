package ai.clawbot.plugin.manifest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One tool: its name, what it does, the JSON Schema of its input, and its effect class (which decides,
 * later, whether a call needs an operator's approval).
 */
public record ToolDeclaration(String name, String description, JsonNode input, Effect effect) {
}
