package ai.clawbot.skills.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolHandler;
import ai.clawbot.plugin.api.ToolResult;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Calls the workspace skill's handlers in-process, as the tool server would, over a workspace folder. */
final class WorkspaceTools {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ToolHandler> tools = new WorkspaceSkill().tools();
    private final ToolContext context;

    WorkspaceTools(Path workspace) {
        this(workspace, Map.of());
    }

    WorkspaceTools(Path workspace, Map<String, String> settings) {
        this.context = new ToolContext(workspace, settings);
    }

    /** Arguments as alternating key/value pairs, e.g. {@code args("query", "x", "limit", 2)}. */
    static ObjectNode args(Object... kv) {
        ObjectNode o = JSON.createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            o.set((String) kv[i], JSON.valueToTree(kv[i + 1]));
        }
        return o;
    }

    ToolResult call(String tool, ObjectNode args) throws ToolException {
        ToolHandler h = tools.get(tool);
        assertThat(h).as("handler for " + tool).isNotNull();
        return h.call(args, context);
    }

    /** The refusal of a call that must fail. */
    ToolException refusal(String tool, ObjectNode args) {
        ToolException e = catchThrowableOfType(ToolException.class, () -> call(tool, args));
        assertThat(e).as(tool + " " + args + " should be refused").isNotNull();
        return e;
    }

    static Path write(Path root, String relative, String content) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }
}
