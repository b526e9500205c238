package ai.clawbot.skills.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolHandler;
import ai.clawbot.plugin.api.ToolResult;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Calls the web skill's handlers in-process, as the tool server would. The proxy environment is given, never
 * this machine's: a developer's HTTP_PROXY must not change what the tests see.
 */
final class WebTools {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ToolHandler> tools;
    private final ToolContext context;

    WebTools(Map<String, String> env, Map<String, String> settings, Duration deadline) {
        this.tools = new WebSkill(env, deadline).tools();
        this.context = new ToolContext(Path.of("/workspace"), settings);
    }

    WebTools(Map<String, String> settings) {
        this(Map.of(), settings, Duration.ofSeconds(10));
    }

    WebTools() {
        this(Map.of());
    }

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

    ToolException refusal(String tool, ObjectNode args) {
        ToolException e = catchThrowableOfType(ToolException.class, () -> call(tool, args));
        assertThat(e).as(tool + " " + args + " should be refused").isNotNull();
        return e;
    }
}
