package ai.clawbot.manifests;

import ai.clawbot.manifests.ManifestCheck.Invalid;
import ai.clawbot.manifests.ManifestCheck.Valid;
import ai.clawbot.manifests.ManifestCheck.Violation;
import ai.clawbot.plugin.manifest.ManifestReader;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a skill manifest against the v1 JSON Schema ({@code skill-manifest.schema.json}) and a few
 * rules a schema cannot say (unique tool names, each tool's input being a usable JSON Schema).
 * Thread-safe; one per process.
 */
public final class ManifestValidator {

    private static final String SCHEMA = "/ai/clawbot/manifests/skill-manifest.schema.json";
    /** Where an unknown image family is reported ({@link ImageFamilies#unknown}). */
    public static final String IMAGE_PATH = "$.sandbox.image";

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Schema schema;
    private final Schema metaSchema = registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    private ManifestValidator() {
        try (InputStream in = ManifestValidator.class.getResourceAsStream(SCHEMA)) {
            schema = registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest schema", e);
        }
        // Compiled now, not at the first check: a schema that cannot compile fails here, once.
        schema.initializeValidators();
        metaSchema.initializeValidators();
    }

    /** The validator; built once per process (it is thread-safe, and compiling its schemas is not free). */
    public static ManifestValidator create() {
        return Shared.INSTANCE;
    }

    private static final class Shared {
        static final ManifestValidator INSTANCE = new ManifestValidator();
    }


    public ManifestCheck validate(byte[] yaml) {
        JsonNode tree;
        try {
            tree = ManifestReader.readTree(new ByteArrayInputStream(yaml));
        } catch (IOException e) {
            return new Invalid(List.of(new Violation("$", "not readable YAML: " + firstLine(e.getMessage()))));
        }
        return validate(tree);
    }

    public ManifestCheck validate(JsonNode tree) {
        List<Violation> violations = new ArrayList<>();
        for (Error e : schema.validate(tree)) {
            String path = JsonPaths.fromPointer(e.getInstanceLocation().toString());
            violations.add(new Violation(path, path.equals(IMAGE_PATH) && tree.at("/sandbox/image").isTextual()
                    ? ImageFamilies.unknown(tree.at("/sandbox/image").asText()) : reason(e)));
        }
        if (!violations.isEmpty()) {
            return new Invalid(violations);
        }
        SkillManifest manifest;
        try {
            manifest = ManifestReader.bind(tree);
        } catch (IOException e) {
            return new Invalid(List.of(new Violation("$", firstLine(e.getMessage()))));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < manifest.tools().size(); i++) {
            ToolDeclaration t = manifest.tools().get(i);
            if (!names.add(t.name())) {
                violations.add(new Violation("$.tools[" + i + "].name", "duplicate tool name '" + t.name() + "'"));
            }
            List<Violation> input = checkInputSchema("$.tools[" + i + "].input", t.input());
            violations.addAll(input);
            if (input.isEmpty()) {
                violations.addAll(checkExamples("$.tools[" + i + "].examples", t));
            }
        }
        violations.addAll(checkPreviews(manifest));
        manifest.settingsSchema().ifPresent(schema -> violations.addAll(checkSettingsSchema(schema)));
        violations.addAll(checkGrants(manifest));
        return violations.isEmpty() ? new Valid(manifest) : new Invalid(violations);
    }

    /**
     * An {@code approval.preview} names another tool of this skill whose effect is {@code read} and which previews
     * nothing itself: the gateway runs it before an operator has said yes, so it must not be able to act.
     */
    private static List<Violation> checkPreviews(SkillManifest manifest) {
        List<Violation> v = new ArrayList<>();
        for (int i = 0; i < manifest.tools().size(); i++) {
            ToolDeclaration t = manifest.tools().get(i);
            if (t.previewTool().isEmpty()) {
                continue;
            }
            String name = t.previewTool().get();
            String path = "$.tools[" + i + "].approval.preview";
            var preview = manifest.tool(name);
            if (name.equals(t.name())) {
                v.add(new Violation(path, "a tool cannot be its own preview"));
            } else if (preview.isEmpty()) {
                v.add(new Violation(path, "no tool '" + name + "' is declared in this skill"));
            } else if (preview.get().effect() != ai.clawbot.plugin.manifest.Effect.READ) {
                v.add(new Violation(path, "preview tool '" + name + "' must have effect read, not "
                        + preview.get().effect().wire()));
            } else if (preview.get().previewTool().isPresent()) {
                v.add(new Violation(path, "preview tool '" + name + "' cannot declare a preview itself"));
            }
        }
        return v;
    }

    /** As a tool's input schema, and it must compile with the settings formats ({@code hostport}, {@code uri}). */
    private List<Violation> checkSettingsSchema(JsonNode schema) {
        List<Violation> v = checkInputSchema("$.settings", schema);
        if (!v.isEmpty()) {
            return v;
        }
        try {
            SkillSettings.create().compile(schema);
        } catch (RuntimeException e) {
            return List.of(new Violation("$.settings", "not a usable JSON Schema: " + firstLine(e.getMessage())));
        }
        return List.of();
    }

    /**
     * Each grant names a setting the schema declares, holding a string or an array of strings, and each setting is
     * granted at most once: the operator's value is what the grant bounds.
     */
    private static List<Violation> checkGrants(SkillManifest manifest) {
        List<Violation> v = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        var grants = manifest.network().grants();
        for (int i = 0; i < grants.size(); i++) {
            String setting = grants.get(i).setting();
            String path = "$.network.grants[" + i + "].setting";
            if (!seen.add(setting)) {
                v.add(new Violation(path, "setting '" + setting + "' is granted twice"));
                continue;
            }
            JsonNode decl = manifest.settingsSchema().map(s -> declaration(s, setting)).orElse(null);
            if (decl == null) {
                v.add(new Violation(path, "no setting '" + setting + "' is declared under settings.properties"));
            } else if (!isStringOrStrings(decl)) {
                v.add(new Violation(path, "setting '" + setting + "' must be a string (host:port or URL) or an array of strings"));
            }
        }
        return v;
    }

    /** The schema of a dotted setting path, following {@code properties}; null when not declared. */
    static JsonNode declaration(JsonNode schema, String dotted) {
        JsonNode n = schema;
        for (String part : dotted.split("\\.")) {
            n = n.path("properties").get(part);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    private static boolean isStringOrStrings(JsonNode decl) {
        String type = decl.path("type").asText();
        return type.equals("string") || (type.equals("array") && decl.path("items").path("type").asText().equals("string"));
    }

    /**
     * A tool's input schema must be usable as it is: self-contained (only {@code #...} references: the host
     * never fetches anything), valid against the JSON Schema 2020-12 meta-schema, and with every
     * reference and pattern resolvable now rather than at the first call.
     */
    private List<Violation> checkInputSchema(String path, JsonNode input) {
        List<String> remote = new ArrayList<>();
        collectRemoteRefs(input, remote);
        if (!remote.isEmpty()) {
            return List.of(new Violation(path, "not a usable JSON Schema: only local references (starting with '#') are allowed, found "
                    + String.join(", ", remote)));
        }
        List<Violation> meta = new ArrayList<>();
        for (Error e : metaSchema.validate(input)) {
            String sub = JsonPaths.fromPointer(e.getInstanceLocation().toString()).substring(1);
            meta.add(new Violation(path + sub, "not a valid JSON Schema: " + reason(e)));
        }
        if (!meta.isEmpty()) {
            return meta;
        }
        try {
            registry.getSchema(input).initializeValidators();
        } catch (RuntimeException e) {
            return List.of(new Violation(path, "not a usable JSON Schema: " + firstLine(e.getMessage())));
        }
        return List.of();
    }

    /** Every example must be a call the gateway would accept: valid against the tool's own input schema. */
    private List<Violation> checkExamples(String path, ToolDeclaration tool) {
        List<Violation> out = new ArrayList<>();
        Schema input = registry.getSchema(tool.input());
        for (int e = 0; e < tool.examples().size(); e++) {
            for (Error err : input.validate(tool.examples().get(e))) {
                String sub = JsonPaths.fromPointer(err.getInstanceLocation().toString()).substring(1);
                out.add(new Violation(path + "[" + e + "]" + sub, "example does not match the tool's input schema: " + reason(err)));
            }
        }
        return out;
    }

    private static void collectRemoteRefs(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if ((f.getKey().equals("$ref") || f.getKey().equals("$dynamicRef")) && f.getValue().isTextual()
                        && !f.getValue().asText().startsWith("#")) {
                    out.add(f.getValue().asText());
                }
                collectRemoteRefs(f.getValue(), out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRemoteRefs(n, out));
        }
    }

    private static String reason(Error e) {
        String m = e.getMessage();
        String prefix = e.getInstanceLocation() + ": ";
        return m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
