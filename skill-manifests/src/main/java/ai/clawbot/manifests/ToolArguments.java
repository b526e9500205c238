package ai.clawbot.manifests;

import ai.clawbot.manifests.ManifestCheck.Violation;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Validates tool-call arguments against the tool's declared input schema, before any container starts. */
public final class ToolArguments {

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<JsonNode, Schema> cache = new ConcurrentHashMap<>();

    public static ToolArguments create() {
        return new ToolArguments();
    }

    /** Every violation of {@code args} against the tool's input schema; empty when valid. */
    public List<Violation> check(ToolDeclaration tool, JsonNode args) {
        Schema schema = cache.computeIfAbsent(tool.input(), registry::getSchema);
        return schema.validate(args).stream()
                .map(ToolArguments::violation)
                .toList();
    }

    private static Violation violation(Error e) {
        String pointer = e.getInstanceLocation().toString();
        String m = e.getMessage();
        return new Violation(JsonPaths.fromPointer(pointer), m != null && m.startsWith(pointer + ": ") ? m.substring(pointer.length() + 2) : m);
    }
}
