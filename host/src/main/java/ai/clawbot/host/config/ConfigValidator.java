package ai.clawbot.host.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a configuration against {@code openclaw.schema.json} (JSON Schema 2020-12), then the rules a schema
 * cannot state: unique agent ids, at most one default agent, IPv6 bind literals, and no unauthenticated
 * gateway on a non-loopback address. Thread-safe; create once.
 */
public final class ConfigValidator {

    private static final String SCHEMA = "openclaw.schema.json";

    private final ObjectNode schemaTree;
    private final Schema schema;

    private ConfigValidator() {
        try (InputStream in = ConfigValidator.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA + " is missing from the classpath");
            }
            schemaTree = (ObjectNode) ConfigJson.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SCHEMA, e);
        }
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaTree);
        schema.initializeValidators(); // a broken schema fails here, at start, not at the first write
    }

    /** The validator; built once per process (loading the schema is a noticeable part of start-up). */
    public static ConfigValidator create() {
        return Shared.INSTANCE;
    }

    private static final class Shared {
        static final ConfigValidator INSTANCE = new ConfigValidator();
    }

    /** The JSON Schema itself (a copy), for {@code config.schema}. */
    public ObjectNode schema() {
        return schemaTree.deepCopy();
    }

    /** Every problem with {@code config}; empty when it is valid. Semantic rules run once the shape is right. */
    public List<ConfigProblem> validate(JsonNode config) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (Error e : schema.validate(config)) {
            problems.add(new ConfigProblem(pathOf(e), reason(e)));
        }
        return problems.isEmpty() ? semantic(config) : problems;
    }

    /**
     * The validator reports an unknown or missing key at the object holding it; naming the key itself
     * ({@code $.gateway.prot}) is what lets the operator find the typo.
     */
    private static String pathOf(Error e) {
        String at = ai.clawbot.manifests.JsonPaths.fromPointer(e.getInstanceLocation().toString());
        boolean namesKey = "additionalProperties".equals(e.getKeyword()) || "required".equals(e.getKeyword());
        return namesKey && e.getProperty() != null ? ai.clawbot.manifests.JsonPaths.child(at, e.getProperty()) : at;
    }

    private static String reason(Error e) {
        if ("additionalProperties".equals(e.getKeyword()) && e.getProperty() != null) {
            return "unknown property '" + e.getProperty() + "' (not allowed here; check the spelling)";
        }
        String m = e.getMessage();
        String prefix = e.getInstanceLocation() + ": ";
        return m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : String.valueOf(m);
    }

    private static List<ConfigProblem> semantic(JsonNode config) {
        List<ConfigProblem> problems = new ArrayList<>();
        JsonNode list = config.path("agents").path("list");
        Map<String, Integer> ids = new HashMap<>();
        int firstDefault = -1;
        for (int i = 0; i < list.size(); i++) {
            JsonNode agent = list.get(i);
            Integer earlier = ids.putIfAbsent(agent.path("id").asText(), i);
            if (earlier != null) {
                problems.add(new ConfigProblem("$.agents.list[" + i + "].id",
                        "duplicate agent id '" + agent.path("id").asText() + "' (also at $.agents.list[" + earlier + "].id)"));
            }
            if (agent.path("default").asBoolean(false)) {
                if (firstDefault >= 0) {
                    problems.add(new ConfigProblem("$.agents.list[" + i + "].default",
                            "more than one agent has default: true (also $.agents.list[" + firstDefault + "])"));
                } else {
                    firstDefault = i;
                }
            }
        }
        JsonNode gateway = config.path("gateway");
        String bind = gateway.path("bind").asText("loopback");
        Boolean loopback = loopback(bind);
        if (loopback == null) {
            problems.add(new ConfigProblem("$.gateway.bind", "not a valid IP address"));
        } else if (!loopback && "none".equals(gateway.path("auth").path("mode").asText())) {
            problems.add(new ConfigProblem("$.gateway.auth.mode", "auth mode 'none' is only allowed with a loopback bind"
                    + " (gateway.bind is '" + bind + "'): anyone who can reach the port would control the gateway"));
        }
        return problems;
    }

    /** Whether {@code bind} only listens on loopback; null when it is not a valid address. Never resolves a name. */
    static Boolean loopback(String bind) {
        switch (bind) {
            case "loopback", "localhost" -> {
                return true;
            }
            case "lan" -> {
                return false;
            }
            default -> {
                // The schema admits only IPv4 literals and colon forms; brackets make the JDK parse an IPv6
                // literal or fail, never look the text up.
                try {
                    return InetAddress.getByName(bind.contains(":") ? "[" + bind + "]" : bind).isLoopbackAddress();
                } catch (UnknownHostException | IllegalArgumentException e) {
                    return null;
                }
            }
        }
    }
}
