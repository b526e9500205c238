package ai.clawbot.host.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Where {@code op://} references are written: config values anywhere, and vault secrets stored as references. */
public final class SecretReferences {

    /** One reference and where it is ({@code models.providers.openai.apiKey}, or {@code vault secret NAME}). */
    public record Found(String where, String reference) {
    }

    private SecretReferences() {
    }

    /** Every string value of the config that is an {@code op://} reference, with its dotted path. */
    public static List<Found> inConfig(JsonNode config) {
        List<Found> out = new ArrayList<>();
        walk(config, "", out);
        return out;
    }

    /** Every vault secret whose stored value is a reference (the values are read, compared and zeroed). */
    public static List<Found> inVault(FileVault vault) throws SecretsException {
        List<Found> out = new ArrayList<>();
        Map<String, byte[]> values = vault.resolve(vault.names());
        try {
            for (Map.Entry<String, byte[]> e : values.entrySet()) {
                String text = new String(e.getValue(), StandardCharsets.UTF_8);
                if (SecretResolver.isReference(text) && !e.getKey().equals(OnePasswordSecrets.TOKEN_SECRET)) {
                    out.add(new Found("vault secret " + e.getKey(), text.strip()));
                }
            }
        } finally {
            values.values().forEach(v -> Arrays.fill(v, (byte) 0));
        }
        return out;
    }

    private static void walk(JsonNode node, String path, List<Found> out) {
        if (node == null) {
            return;
        }
        if (node.isTextual() && SecretResolver.isReference(node.asText())) {
            out.add(new Found(path, node.asText().strip()));
        } else if (node.isTextual() && node.asText().contains("${op://")) {
            // A placeholder inside a credential setting, e.g. an MCP header "Bearer ${op://vault/item/field}".
            for (ai.clawbot.manifests.SecretTemplate.Part p : ai.clawbot.manifests.SecretTemplate.parts(node.asText())) {
                if (p instanceof ai.clawbot.manifests.SecretTemplate.Part.OnePassword op) {
                    out.add(new Found(path, op.reference()));
                }
            }
        } else if (node.isObject()) {
            node.properties().forEach(e -> walk(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", out);
            }
        }
    }
}
