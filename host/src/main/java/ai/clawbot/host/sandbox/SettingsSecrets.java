package ai.clawbot.host.sandbox;

import ai.clawbot.host.secrets.SecretsException;
import ai.clawbot.host.secrets.SecretsProvider;
import ai.clawbot.manifests.SecretTemplate;
import ai.clawbot.plugin.api.ToolContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a skill's {@code format: secret-ref} settings (mcporter's HTTP headers) at container start: each value
 * names its secret ({@code ${secret:NAME}} from the vault, {@code op://…} from 1Password, see {@link SecretTemplate})
 * and the resolved values travel as one more secret file ({@value ToolContext#SETTINGS_SECRETS}, keyed by JSON
 * Pointer), so the settings file, the environment and {@code docker inspect} only ever hold the references.
 */
final class SettingsSecrets {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Found(String pointer, String path, String template) {
    }

    private SettingsSecrets() {
    }

    /**
     * The secret file's content for {@code settings} under {@code schema}, or empty when no setting is a secret-ref.
     *
     * @param where the settings' place in the config ({@code plugins.entries.mcporter.config}), named in errors
     * @throws SecretsException naming the setting and the reference (never a value) when one cannot be resolved
     */
    static Optional<byte[]> resolve(Optional<JsonNode> schema, JsonNode settings, String where, SecretsProvider secrets)
            throws SecretsException {
        List<Found> found = new ArrayList<>();
        schema.ifPresent(s -> walk(s, settings, "", where, found));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode out = JSON.createObjectNode();
        for (Found f : found) {
            out.put(f.pointer(), value(f, secrets));
        }
        try {
            return Optional.of(JSON.writeValueAsBytes(out));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String value(Found f, SecretsProvider secrets) throws SecretsException {
        StringBuilder b = new StringBuilder();
        for (SecretTemplate.Part p : SecretTemplate.parts(f.template())) {
            switch (p) {
                case SecretTemplate.Part.Text t -> b.append(t.text());
                case SecretTemplate.Part.OnePassword op -> b.append(secrets.reference(op.reference(), f.path()));
                case SecretTemplate.Part.VaultSecret v -> {
                    Map<String, byte[]> got;
                    try {
                        got = secrets.resolve(List.of(v.name()));
                    } catch (SecretsException e) {
                        throw new SecretsException(e.kind(), f.path() + " needs vault secret " + v.name() + ": " + e.getMessage());
                    }
                    byte[] bytes = got.get(v.name());
                    b.append(new String(bytes, StandardCharsets.UTF_8));
                    Arrays.fill(bytes, (byte) 0);
                }
            }
        }
        return b.toString();
    }

    /** Walks the value beside its schema ({@code properties}, {@code additionalProperties}, {@code items}). */
    private static void walk(JsonNode schema, JsonNode value, String pointer, String path, List<Found> out) {
        if (schema == null || !schema.isObject() || value == null) {
            return;
        }
        if (value.isTextual() && SecretTemplate.FORMAT.equals(schema.path("format").asText())) {
            out.add(new Found(pointer, path, value.asText()));
        } else if (value.isObject()) {
            value.properties().forEach(e -> {
                JsonNode sub = schema.path("properties").has(e.getKey()) ? schema.path("properties").get(e.getKey())
                        : schema.get("additionalProperties");
                walk(sub, e.getValue(), pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1"),
                        path + "." + e.getKey(), out);
            });
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                walk(schema.get("items"), value.get(i), pointer + "/" + i, path + "[" + i + "]", out);
            }
        }
    }
}
