package ai.clawbot.plugin.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the sandbox gives a tool: the workspace mount point and the non-secret settings the host passed.
 *
 * @param workspace where the workspace is mounted inside the container ({@code /workspace})
 * @param settings  non-secret key/value settings from the host's configuration for this skill
 */
public record ToolContext(Path workspace, Map<String, String> settings) {

    public ToolContext {
        settings = Map.copyOf(settings);
    }

    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }
}
