package ai.clawbot.plugin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the sandbox gives a tool: the workspace mount point and the skill's settings as the operator configured
 * them ({@code plugins.entries.<id>.config}, validated against the manifest's {@code settings:} schema, defaults
 * filled in, the old string {@code settings} map merged underneath). The host hands them over as a read-only file,
 * never in the environment or on the command line.
 *
 * @param workspace where the workspace is mounted inside the container ({@code /workspace})
 * @param settings  the settings object (read-only: a copy is kept)
 */
public record ToolContext(Path workspace, JsonNode settings) {

    public ToolContext {
        settings = settings == null || !settings.isObject() ? JsonNodeFactory.instance.objectNode() : settings.deepCopy();
    }

    /** String settings, as before typed settings existed. */
    public ToolContext(Path workspace, Map<String, String> settings) {
        this(workspace, strings(settings));
    }

    /** The settings object (a copy: a tool cannot change what the next call sees). */
    @Override
    public JsonNode settings() {
        return settings.deepCopy();
    }

    /** A top-level setting as text (numbers and booleans as written); empty when absent, null or not a scalar. */
    public Optional<String> setting(String key) {
        JsonNode v = settings.get(key);
        return v == null || !v.isValueNode() || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    /** The setting at a dotted path ({@code imap.host}); a missing node when absent. */
    public JsonNode settingAt(String... path) {
        JsonNode n = settings;
        for (String p : path) {
            n = n.path(p);
        }
        return n.deepCopy();
    }

    private static ObjectNode strings(Map<String, String> settings) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (settings != null) {
            settings.forEach(o::put);
        }
        return o;
    }
}
