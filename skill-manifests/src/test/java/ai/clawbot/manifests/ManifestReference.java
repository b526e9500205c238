package ai.clawbot.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The manifest reference table of docs/plugin-sdk.md, computed from the manifest JSON Schema: one row per
 * property path ({@code permissions.resources.memory}, {@code tools[].name}), with its type and constraints,
 * whether it is required, and the schema's description. Only local {@code #/...} references are followed.
 */
final class ManifestReference {

    static final String SCHEMA = "/ai/clawbot/manifests/skill-manifest.schema.json";

    /** One field of the manifest. {@code description} is null when the schema has none. */
    record Row(String path, String type, boolean required, String description) {
    }

    private final JsonNode root;

    private ManifestReference(JsonNode root) {
        this.root = root;
    }

    static ManifestReference load() throws IOException {
        try (InputStream in = ManifestReference.class.getResourceAsStream(SCHEMA)) {
            return new ManifestReference(new ObjectMapper().readTree(in));
        }
    }

    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        children(root, "", rows, new HashSet<>());
        return rows;
    }

    /** The Markdown table, as it must appear between the doc's markers. */
    String table() {
        StringBuilder t = new StringBuilder("| Field | Type | Required | Description |\n|---|---|---|---|\n");
        for (Row r : rows()) {
            t.append("| `").append(r.path()).append("` | ").append(cell(r.type())).append(" | ")
                    .append(r.required() ? "yes" : "no").append(" | ")
                    .append(r.description() == null ? "**(no description in the schema)**" : cell(r.description()))
                    .append(" |\n");
        }
        return t.toString();
    }

    /** Rows for the properties below {@code schema} (through $ref, items, oneOf/anyOf/allOf). */
    private void children(JsonNode schema, String prefix, List<Row> rows, Set<String> refsOnPath) {
        JsonNode s = schema;
        String ref = s.path("$ref").asText(null);
        if (ref != null) {
            if (!ref.startsWith("#/") || !refsOnPath.add(ref)) {
                return; // external or recursive: documented where it is defined, not expanded
            }
            s = root.at(ref.substring(1));
        }
        Set<String> required = new HashSet<>();
        s.path("required").forEach(n -> required.add(n.asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            String path = prefix.isEmpty() ? p.getKey() : prefix + "." + p.getKey();
            rows.add(new Row(path, type(p.getValue()), required.contains(p.getKey()), description(p.getValue())));
            children(p.getValue(), path, rows, new HashSet<>(refsOnPath));
        }
        if (s.path("items").isObject()) {
            children(s.path("items"), prefix + "[]", rows, new HashSet<>(refsOnPath));
        }
        for (String combinator : List.of("oneOf", "anyOf", "allOf")) {
            s.path(combinator).forEach(alt -> children(alt, prefix, rows, new HashSet<>(refsOnPath)));
        }
    }

    private String description(JsonNode schema) {
        if (schema.hasNonNull("description")) {
            return schema.get("description").asText();
        }
        String ref = schema.path("$ref").asText(null);
        return ref != null && ref.startsWith("#/") && root.at(ref.substring(1)).hasNonNull("description")
                ? root.at(ref.substring(1)).get("description").asText() : null;
    }

    /** A short human summary of a property's type and constraints. */
    String type(JsonNode s) {
        String ref = s.path("$ref").asText(null);
        if (ref != null) {
            return ref.startsWith("#/") ? type(root.at(ref.substring(1))) : "schema " + ref;
        }
        if (s.has("enum")) {
            List<String> values = new ArrayList<>();
            s.get("enum").forEach(v -> values.add("`" + v.asText() + "`"));
            return "one of " + String.join(", ", values);
        }
        if (s.has("const")) {
            return "`" + s.get("const").asText() + "`";
        }
        for (String combinator : List.of("oneOf", "anyOf")) {
            if (s.has(combinator)) {
                List<String> alts = new ArrayList<>();
                s.get(combinator).forEach(a -> alts.add(type(a)));
                return String.join(" or ", alts);
            }
        }
        JsonNode t = s.path("type");
        String type = t.isArray() ? java.util.stream.StreamSupport.stream(t.spliterator(), false).map(JsonNode::asText)
                .collect(Collectors.joining(" or ")) : t.asText("any");
        List<String> c = new ArrayList<>();
        switch (type) {
            case "string" -> {
                if (s.has("pattern")) {
                    c.add("matching `" + s.get("pattern").asText() + "`");
                }
                range(s, "minLength", "maxLength", " characters", c);
                if (s.has("format")) {
                    c.add("format `" + s.get("format").asText() + "`");
                }
            }
            case "integer", "number" -> {
                if (s.has("exclusiveMinimum")) {
                    c.add("above " + s.get("exclusiveMinimum").asText());
                }
                range(s, "minimum", "maximum", "", c);
            }
            case "array" -> {
                type = "list of " + (s.path("items").isObject() ? type(s.get("items")) : "any");
                range(s, "minItems", "maxItems", " items", c);
                if (s.path("uniqueItems").asBoolean()) {
                    c.add("unique");
                }
            }
            default -> range(s, "minProperties", "maxProperties", " properties", c);
        }
        return c.isEmpty() ? type : type + " (" + String.join(", ", c) + ")";
    }

    private static void range(JsonNode s, String min, String max, String unit, List<String> out) {
        if (s.has(min) && s.has(max)) {
            out.add(s.get(min).asText() + " to " + s.get(max).asText() + unit);
        } else if (s.has(min)) {
            out.add("at least " + s.get(min).asText() + unit);
        } else if (s.has(max)) {
            out.add("at most " + s.get(max).asText() + unit);
        }
    }

    /** Markdown table cell text: pipes escaped, angle brackets shown rather than read as HTML. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ");
    }
}
