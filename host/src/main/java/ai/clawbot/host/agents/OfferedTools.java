package ai.clawbot.host.agents;

import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The tools one agent may be offered, as model tool specifications. Function names must match
 * {@code ^[a-zA-Z0-9_-]{1,64}$} at OpenAI, so {@code obsidian.search_content} is offered as
 * {@code obsidian__search_content} and mapped back; a name the model invents maps to nothing.
 */
public final class OfferedTools {

    static final String SEPARATOR = "__";

    /** One offered tool. */
    public record Offered(String functionName, String skill, String tool, ToolSpecification spec) {
    }

    private final Map<String, Offered> byName;
    /** Function names of tools whose effect is {@code secret}: their results are not kept in transcripts. */
    private final java.util.Set<String> revealing;

    private OfferedTools(Map<String, Offered> byName) {
        this(byName, java.util.Set.of());
    }

    private OfferedTools(Map<String, Offered> byName, java.util.Set<String> revealing) {
        this.byName = Map.copyOf(byName);
        this.revealing = java.util.Set.copyOf(revealing);
    }

    /** Whether the tool's effect is {@code secret}: what it returns reaches the model, never the transcript file. */
    public boolean revealsSecret(Offered tool) {
        return tool != null && revealing.contains(tool.functionName());
    }

    /** The tools of {@code skills} that {@code visible(skill, tool)} lets this agent see. */
    public static OfferedTools of(List<LoadedSkill> skills, BiPredicate<String, String> visible) {
        Map<String, Offered> out = new LinkedHashMap<>();
        java.util.Set<String> revealing = new java.util.HashSet<>();
        for (LoadedSkill s : skills) {
            for (ToolDeclaration t : s.manifest().tools()) {
                if (!visible.test(s.id(), t.name())) {
                    continue;
                }
                String fn = functionName(s.id(), t.name());
                if (fn == null) {
                    continue; // a name the providers cannot carry is not offered rather than mangled
                }
                out.put(fn, new Offered(fn, s.id(), t.name(), spec(fn, s.id(), t)));
                if (t.effect() == ai.clawbot.plugin.manifest.Effect.SECRET) {
                    revealing.add(fn);
                }
            }
        }
        return new OfferedTools(out, revealing);
    }

    static String functionName(String skill, String tool) {
        String fn = skill + SEPARATOR + tool;
        return fn.matches("[a-zA-Z0-9_-]{1,64}") ? fn : null;
    }

    private static ToolSpecification spec(String fn, String skill, ToolDeclaration t) {
        JsonObjectSchema.Builder params = JsonObjectSchema.builder();
        JsonNode input = t.input();
        List<String> required = new ArrayList<>();
        if (input != null && input.isObject()) {
            input.path("properties").properties().forEach(p -> params.addProperty(p.getKey(),
                    JsonRawSchema.from(p.getValue().toString())));
            input.path("required").forEach(r -> required.add(r.asText()));
            if (input.has("additionalProperties") && input.get("additionalProperties").isBoolean()) {
                params.additionalProperties(input.get("additionalProperties").asBoolean());
            }
        }
        params.required(required);
        return ToolSpecification.builder().name(fn)
                .description("[" + skill + "] " + (t.description() == null ? t.name() : t.description()))
                .parameters(params.build()).build();
    }

    public List<ToolSpecification> specifications() {
        return byName.values().stream().map(Offered::spec).toList();
    }

    public Optional<Offered> find(String functionName) {
        return Optional.ofNullable(byName.get(functionName));
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /** Arguments as the model sent them: a JSON object, else an empty object plus a note. */
    static ObjectNode arguments(String json) {
        try {
            JsonNode n = json == null || json.isBlank() ? null : AgentJson.JSON.readTree(json);
            return n != null && n.isObject() ? (ObjectNode) n : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
