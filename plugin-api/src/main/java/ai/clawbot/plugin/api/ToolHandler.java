package ai.clawbot.plugin.api;

import com.fasterxml.jackson.databind.JsonNode;

/** One tool of a skill. Arguments have already been validated against the tool's input schema. */
@FunctionalInterface
public interface ToolHandler {

    ToolResult call(JsonNode args, ToolContext context) throws ToolException;
}
