package ai.clawbot.plugin.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A successful tool result: text for a model to read, and optionally the same data structured for programs.
 */
public record ToolResult(String text, JsonNode structured) {

    public ToolResult {
        Objects.requireNonNull(text, "text");
    }

    public static ToolResult text(String text) {
        return new ToolResult(text, null);
    }

    public static ToolResult of(String text, JsonNode structured) {
        return new ToolResult(text, structured);
    }
}
