package ai.clawbot.manifests;

import ai.clawbot.manifests.ManifestCheck.Violation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaContext;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.format.Format;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A skill's {@code settings:} schema at work: compiling it (JSON Schema 2020-12 with the formats {@code hostport},
 * {@code uri} and {@code secret-ref} asserted, not just annotated), checking an operator's {@code plugins.entries.<id>.config}
 * against it with a JSON path per problem, and filling in the declared defaults. Thread-safe; create once.
 */
public final class SkillSettings {

    /** {@code host:port}: a DNS name or IPv4 literal, a port 1..65535; {@code *:PORT} is checked by the grant. */
    static final Pattern HOST_PORT = Pattern.compile("^(\\*|[A-Za-z0-9]([A-Za-z0-9.-]{0,252})?):([1-9][0-9]{0,4})$");

    private final SchemaRegistry registry;

    private SkillSettings() {
        Dialect dialect = Dialect.builder(Dialects.getDraft202012())
                .format(new HostPortFormat())
                .format(new UriFormat())
                .format(new SecretRefFormat())
                .build();
        registry = SchemaRegistry.withDialect(dialect, b -> b.schemaRegistryConfig(
                SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    public static SkillSettings create() {
        return Shared.INSTANCE;
    }

    private static final class Shared {
        static final SkillSettings INSTANCE = new SkillSettings();
    }

    /** Compiles a settings schema now (every reference and pattern resolved); throws with the reason if it cannot. */
    public Schema compile(JsonNode schema) {
        Schema s = registry.getSchema(schema);
        s.initializeValidators();
        return s;
    }

    /**
     * Every problem of {@code value} against {@code schema}, as JSON paths under {@code base} (for example
     * {@code $.plugins.entries.web.config}); the offending value is never repeated (it may be a secret).
     */
    public List<Violation> check(JsonNode schema, JsonNode value, String base) {
        List<Violation> out = new ArrayList<>();
        for (Error e : compile(schema).validate(value)) {
            String at = JsonPaths.fromPointer(e.getInstanceLocation().toString());
            if (("required".equals(e.getKeyword()) || "additionalProperties".equals(e.getKeyword())) && e.getProperty() != null) {
                at = JsonPaths.child(at, e.getProperty());
            }
            out.add(new Violation(base + at.substring(1), reason(e)));
        }
        return out;
    }

    /**
     * A copy of {@code value} (an object; {@code {}} when absent) with the schema's {@code default}s filled in where
     * a property is absent; objects that are present get their own defaults, absent ones are not invented.
     */
    public static ObjectNode withDefaults(JsonNode schema, JsonNode value) {
        ObjectNode out = value instanceof ObjectNode o ? o.deepCopy()
                : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        fill(schema, out);
        return out;
    }

    private static void fill(JsonNode schema, ObjectNode o) {
        for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
            JsonNode present = o.get(p.getKey());
            if (present instanceof ObjectNode child) {
                fill(p.getValue(), child);
            } else if (present == null && p.getValue().has("default")) {
                o.set(p.getKey(), p.getValue().get("default").deepCopy());
            }
        }
    }

    private static String reason(Error e) {
        if ("format".equals(e.getKeyword()) && String.valueOf(e.getMessage()).contains(SecretTemplate.FORMAT)) {
            return SecretTemplate.LITERAL;
        }
        String m = e.getMessage();
        String prefix = e.getInstanceLocation() + ": ";
        return m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : String.valueOf(m);
    }

    /** {@code host:port} (a name or IPv4 literal and a port), or {@code *:port} where a grant allows any host. */
    static final class HostPortFormat implements Format {
        @Override
        public String getName() {
            return "hostport";
        }

        @Override
        public String getMessageKey() {
            return "format";
        }

        @Override
        public boolean matches(ExecutionContext ctx, SchemaContext schemaContext, String value) {
            var m = HOST_PORT.matcher(value);
            return m.matches() && Integer.parseInt(m.group(3)) <= 65535;
        }
    }

    /** A credential named, not written: see {@link SecretTemplate}. */
    static final class SecretRefFormat implements Format {
        @Override
        public String getName() {
            return SecretTemplate.FORMAT;
        }

        @Override
        public String getMessageKey() {
            return "format";
        }

        @Override
        public boolean matches(ExecutionContext ctx, SchemaContext schemaContext, String value) {
            return SecretTemplate.isReference(value);
        }
    }

    /** An absolute URI with a scheme and, for http(s), a host. */
    static final class UriFormat implements Format {
        @Override
        public String getName() {
            return "uri";
        }

        @Override
        public boolean matches(ExecutionContext ctx, SchemaContext schemaContext, String value) {
            try {
                URI u = new URI(value);
                if (!u.isAbsolute()) {
                    return false;
                }
                String scheme = u.getScheme().toLowerCase(java.util.Locale.ROOT);
                return !(scheme.equals("http") || scheme.equals("https")) || (u.getHost() != null && !u.getHost().isEmpty());
            } catch (URISyntaxException e) {
                return false;
            }
        }
    }
}
