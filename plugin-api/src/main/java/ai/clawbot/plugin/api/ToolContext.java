package ai.clawbot.plugin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the sandbox gives a tool: the workspace mount point, the skill's settings as the operator configured
 * them ({@code plugins.entries.<id>.config}, validated against the manifest's {@code settings:} schema, defaults
 * filled in, the old string {@code settings} map merged underneath), and the folder its declared secrets are
 * mounted in (one read-only file per secret). The host hands settings over as a read-only file, never in the
 * environment or on the command line.
 *
 * @param workspace where the workspace is mounted inside the container ({@code /workspace})
 * @param settings  the settings object (read-only: a copy is kept)
 * @param secrets   the secrets folder ({@value #SECRETS_MOUNT} in a sandbox; a test folder in the test kit)
 */
public record ToolContext(Path workspace, JsonNode settings, Path secrets) {

    /** Where the sandbox mounts a skill's declared secrets. */
    public static final String SECRETS_MOUNT = "/run/secrets";

    public ToolContext {
        settings = settings == null || !settings.isObject() ? JsonNodeFactory.instance.objectNode() : settings.deepCopy();
        secrets = secrets == null ? Path.of(SECRETS_MOUNT) : secrets;
    }

    public ToolContext(Path workspace, JsonNode settings) {
        this(workspace, settings, null);
    }

    /** String settings, as before typed settings existed. */
    public ToolContext(Path workspace, Map<String, String> settings, Path secrets) {
        this(workspace, strings(settings), secrets);
    }

    /** String settings, as before typed settings existed. */
    public ToolContext(Path workspace, Map<String, String> settings) {
        this(workspace, strings(settings), null);
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

    /** A declared secret's value (UTF-8), read from its file; empty when it is not mounted. */
    public Optional<String> secret(String name) throws IOException {
        if (!name.matches("[A-Za-z][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("not a secret name: " + name);
        }
        Path file = secrets.resolve(name);
        return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
    }

    /**
     * The resolved value of a {@code format: secret-ref} setting, by the setting's JSON Pointer
     * ({@code /mcpServers/tools/headers/Authorization}); empty when it is not mounted. The settings file holds only
     * the reference; the host resolves it at container start into the secret file {@value #SETTINGS_SECRETS}.
     */
    private static final com.fasterxml.jackson.databind.ObjectMapper SETTINGS_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    public Optional<String> settingSecret(String pointer) throws IOException {
        Path file = secrets.resolve(SETTINGS_SECRETS);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode v = SETTINGS_JSON.readTree(file.toFile()).get(pointer);
        return v == null || !v.isTextual() ? Optional.empty() : Optional.of(v.asText());
    }

    /** The secret file holding the resolved {@code format: secret-ref} settings, keyed by JSON Pointer. */
    public static final String SETTINGS_SECRETS = "clawbot-settings-secrets.json";

    private static ObjectNode strings(Map<String, String> settings) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (settings != null) {
            settings.forEach(o::put);
        }
        return o;
    }
}
