package ai.clawbot.plugin.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the sandbox gives a tool: the workspace mount point, the non-secret settings the host passed, and
 * the folder its declared secrets are mounted in (one read-only file per secret).
 *
 * @param workspace where the workspace is mounted inside the container ({@code /workspace})
 * @param settings  non-secret key/value settings from the host's configuration for this skill
 * @param secrets   the secrets folder ({@value #SECRETS_MOUNT} in a sandbox; a test folder in the test kit)
 */
public record ToolContext(Path workspace, Map<String, String> settings, Path secrets) {

    /** Where the sandbox mounts a skill's declared secrets. */
    public static final String SECRETS_MOUNT = "/run/secrets";

    public ToolContext {
        settings = Map.copyOf(settings);
        secrets = secrets == null ? Path.of(SECRETS_MOUNT) : secrets;
    }

    public ToolContext(Path workspace, Map<String, String> settings) {
        this(workspace, settings, null);
    }

    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    /** A declared secret's value (UTF-8), read from its file; empty when it is not mounted. */
    public Optional<String> secret(String name) throws IOException {
        if (!name.matches("[A-Za-z][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("not a secret name: " + name);
        }
        Path file = secrets.resolve(name);
        return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
    }
}
