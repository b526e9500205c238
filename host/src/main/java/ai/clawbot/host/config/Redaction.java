package ai.clawbot.host.config;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Hides secrets from what {@code config.get} returns, and puts them back when a client sends the placeholder
 * unchanged, so that a redacted config can be edited and written back without retyping every key.
 */
final class Redaction {

    static final String SENTINEL = "__CLAWBOT_REDACTED__";

    /**
     * Keys whose value is a secret wherever they appear (compared ignoring case). This covers
     * {@code gateway.auth.token} and {@code models.providers.*.apiKey}.
     */
    private static final Set<String> SECRET_KEYS = Set.of("apikey", "token", "password", "secret");

    private Redaction() {
    }

    static boolean isSecretKey(String key) {
        return SECRET_KEYS.contains(key.toLowerCase(Locale.ROOT));
    }

    /** A copy of {@code config} with every non-null secret value replaced by {@link #SENTINEL}. */
    static ObjectNode redact(ObjectNode config) {
        ObjectNode copy = config.deepCopy();
        redactIn(copy);
        return copy;
    }

    private static void redactIn(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                if (isSecretKey(e.getKey()) && !e.getValue().isNull()) {
                    e.setValue(TextNode.valueOf(SENTINEL));
                } else {
                    redactIn(e.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(Redaction::redactIn);
        }
    }

    /**
     * Replaces each {@link #SENTINEL} in {@code result} with the value at the same place in {@code base} (the
     * config being changed); a placeholder with nothing to keep is a problem rather than a literal secret.
     * Then refuses any secret the client did not send itself ({@code sent}: the merge patch or the whole new
     * config) that stays in an object whose {@code baseUrl} changed: otherwise a client that may not read a
     * provider's key could still send it to a host of its choosing.
     */
    static List<ConfigProblem> restore(ObjectNode result, JsonNode base, JsonNode sent) {
        List<ConfigProblem> problems = new ArrayList<>();
        restoreIn(result, JsonPointer.empty(), "$", base, problems);
        if (problems.isEmpty()) {
            refuseRedirectedSecrets(result, JsonPointer.empty(), "$", base, sent, problems);
        }
        return problems;
    }

    private static void restoreIn(JsonNode node, JsonPointer at, String path, JsonNode base, List<ConfigProblem> problems) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                JsonPointer childAt = at.appendProperty(e.getKey());
                String childPath = ai.clawbot.manifests.JsonPaths.child(path, e.getKey());
                if (isSentinel(e.getValue())) {
                    keep(base.at(childAt), childPath, problems, e::setValue);
                } else {
                    restoreIn(e.getValue(), childAt, childPath, base, problems);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                int index = i;
                if (isSentinel(array.get(i))) {
                    keep(base.at(at.appendIndex(i)), path + "[" + i + "]", problems, v -> array.set(index, v));
                } else {
                    restoreIn(array.get(i), at.appendIndex(i), path + "[" + i + "]", base, problems);
                }
            }
        }
    }

    private static void keep(JsonNode existing, String path, List<ConfigProblem> problems, Consumer<JsonNode> set) {
        if (existing.isMissingNode() || existing.isNull() || isSentinel(existing)) {
            problems.add(new ConfigProblem(path, "the redacted placeholder can only keep an existing value, and there is none here: send the real value"));
        } else {
            set.accept(existing.deepCopy());
        }
    }

    private static void refuseRedirectedSecrets(JsonNode node, JsonPointer at, String path, JsonNode base, JsonNode sent,
            List<ConfigProblem> problems) {
        if (node instanceof ObjectNode object) {
            JsonNode before = base.at(at);
            boolean moved = before.isObject() && !Objects.equals(object.get("baseUrl"), before.get("baseUrl"));
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                String childPath = ai.clawbot.manifests.JsonPaths.child(path, e.getKey());
                JsonNode fromClient = sent.at(at.appendProperty(e.getKey()));
                boolean carried = fromClient.isMissingNode() || isSentinel(fromClient);
                if (moved && carried && isSecretKey(e.getKey()) && !e.getValue().isNull()) {
                    problems.add(new ConfigProblem(childPath, "baseUrl changed, so the stored secret is not kept for the new address:"
                            + " send the secret again in the same change"));
                } else {
                    refuseRedirectedSecrets(e.getValue(), at.appendProperty(e.getKey()), childPath, base, sent, problems);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                refuseRedirectedSecrets(array.get(i), at.appendIndex(i), path + "[" + i + "]", base, sent, problems);
            }
        }
    }

    private static boolean isSentinel(JsonNode n) {
        return n != null && n.isTextual() && SENTINEL.equals(n.asText());
    }
}
