package ai.clawbot.skills.gemini;

import ai.clawbot.plugin.api.Skill;
import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolHandler;
import ai.clawbot.plugin.api.ToolResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One-shot generation through the Gemini REST API, e.g. a planner handing a long summary or a structured
 * extraction to a cheaper model. It calls the API directly: the {@code gemini} CLI is itself an agent with shell
 * tools and is never wrapped. The key is the vault secret {@value #KEY_SECRET}, read from its file; the endpoint
 * is {@code base_url} (default the public API), reached through the sandbox's egress proxy.
 */
public final class GeminiSkill implements Skill {

    static final String KEY_SECRET = "GEMINI_API_KEY";
    static final String BASE_URL = "base_url";
    static final String DEFAULT_MODEL_SETTING = "default_model";
    static final String DEFAULT_MODEL = "gemini-2.5-flash";
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final GeminiApi api;

    /** The skill as the tool server creates it: the proxy from this process's environment. */
    public GeminiSkill() {
        this(System.getenv(), DEADLINE);
    }

    GeminiSkill(Map<String, String> env, Duration deadline) {
        this.api = GeminiApi.create(env, deadline);
    }

    @Override
    public Map<String, ToolHandler> tools() {
        return Map.of("generate", this::generate, "models", this::models);
    }

    private ToolResult generate(JsonNode args, ToolContext ctx) throws ToolException {
        String key = key(ctx);
        String model = args.path("model").asText(ctx.setting(DEFAULT_MODEL_SETTING).orElse(DEFAULT_MODEL));
        JsonNode schema = args.get("json_schema");
        Schema validator = schema == null ? null : compile(schema);

        ObjectNode body = NODES.objectNode();
        ArrayNode parts = body.putArray("contents").addObject().put("role", "user").putArray("parts");
        parts.addObject().put("text", args.path("prompt").asText());
        long fileBytes = InlineFiles.append(ctx.workspace(), args.get("files"), parts);
        if (args.hasNonNull("system")) {
            body.putObject("systemInstruction").putArray("parts").addObject().put("text", args.path("system").asText());
        }
        ObjectNode config = body.putObject("generationConfig");
        if (args.has("max_output_tokens")) {
            config.put("maxOutputTokens", args.path("max_output_tokens").asInt());
        }
        if (args.has("temperature")) {
            config.put("temperature", args.path("temperature").asDouble());
        }
        if (schema != null) {
            config.put("responseMimeType", "application/json").set("responseJsonSchema", schema);
        }

        JsonNode reply = api.generate(baseUrl(ctx), key, model, body);
        String text = answer(reply);
        ObjectNode out = NODES.objectNode().put("model", reply.path("modelVersion").asText(model));
        out.set("usage", reply.path("usageMetadata").deepCopy());
        out.put("fileBytes", fileBytes);
        if (validator == null) {
            out.put("text", text);
            return ToolResult.of(text, out);
        }
        JsonNode structured;
        try {
            structured = JSON.readTree(text);
        } catch (IOException e) {
            throw new ToolException("INVALID_STRUCTURED_ANSWER", "the model's answer is not JSON, so it is not "
                    + "passed on: " + api.scrub(text, key));
        }
        List<Error> errors = validator.validate(structured);
        if (!errors.isEmpty()) {
            throw new ToolException("INVALID_STRUCTURED_ANSWER", "the model's answer does not match json_schema, so "
                    + "it is not passed on: " + errors.stream().limit(5).map(Error::toString).toList());
        }
        out.set("json", structured);
        return ToolResult.of(structured.toString(), out);
    }

    private ToolResult models(JsonNode args, ToolContext ctx) throws ToolException {
        JsonNode reply = api.models(baseUrl(ctx), key(ctx));
        ObjectNode out = NODES.objectNode();
        ArrayNode models = out.putArray("models");
        StringBuilder text = new StringBuilder();
        for (JsonNode m : reply.path("models")) {
            String name = m.path("name").asText().replaceFirst("^models/", "");
            boolean generates = false;
            for (JsonNode method : m.path("supportedGenerationMethods")) {
                generates |= "generateContent".equals(method.asText());
            }
            if (!generates) {
                continue;
            }
            models.addObject().put("name", name).put("displayName", m.path("displayName").asText(name))
                    .put("inputTokenLimit", m.path("inputTokenLimit").asInt())
                    .put("outputTokenLimit", m.path("outputTokenLimit").asInt());
            text.append(name).append('\n');
        }
        return ToolResult.of(models.isEmpty() ? "no generateContent models" : text.toString().strip(), out);
    }

    /** The answer's text, or a typed refusal for a blocked prompt or a safety stop (never an empty answer). */
    static String answer(JsonNode reply) throws ToolException {
        String blocked = reply.path("promptFeedback").path("blockReason").asText("");
        if (!blocked.isEmpty()) {
            throw new ToolException("BLOCKED", "Gemini blocked the prompt (promptFeedback.blockReason " + blocked + ")");
        }
        JsonNode candidate = reply.path("candidates").path(0);
        String finish = candidate.path("finishReason").asText("");
        if (List.of("SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION").contains(finish)) {
            throw new ToolException("BLOCKED", "Gemini stopped the answer (finishReason " + finish + ")");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.has("text") && !part.path("thought").asBoolean(false)) {
                text.append(part.path("text").asText());
            }
        }
        if (candidate.isMissingNode()) {
            throw new ToolException("NO_ANSWER", "Gemini returned no candidates");
        }
        return text.toString();
    }

    private static Schema compile(JsonNode schema) throws ToolException {
        if (!schema.isObject()) {
            throw new ToolException("BAD_SCHEMA", "json_schema must be a JSON Schema object");
        }
        try {
            return SCHEMAS.getSchema(schema);
        } catch (RuntimeException e) {
            throw new ToolException("BAD_SCHEMA", "json_schema is not a usable JSON Schema: " + e.getMessage());
        }
    }

    private static String key(ToolContext ctx) throws ToolException {
        try {
            return ctx.secret(KEY_SECRET).map(String::strip).filter(k -> !k.isEmpty()).orElseThrow(() ->
                    new ToolException("NO_KEY", "no Gemini API key: store it with `claw secrets set " + KEY_SECRET
                            + "` (it is mounted as a file, never passed in the environment)"));
        } catch (IOException e) {
            throw new ToolException("NO_KEY", "cannot read the " + KEY_SECRET + " secret file");
        }
    }

    private static String baseUrl(ToolContext ctx) {
        return ctx.setting(BASE_URL).filter(s -> !s.isBlank()).orElse(GeminiApi.DEFAULT_BASE_URL);
    }
}
