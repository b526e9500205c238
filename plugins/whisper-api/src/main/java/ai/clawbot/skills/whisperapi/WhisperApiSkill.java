package ai.clawbot.skills.whisperapi;

import ai.clawbot.plugin.api.Skill;
import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolHandler;
import ai.clawbot.plugin.api.ToolResult;
import ai.clawbot.plugin.audio.AudioFile;
import ai.clawbot.plugin.fs.ConfinedRoot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Speech to text through OpenAI's audio API or a compatible server: {@code transcribe} and {@code translate} (to
 * English). The file is checked before anything is sent ({@link AudioFile}: confined to the workspace, at most 25 MB,
 * a known container whose measured length is not over {@code max_seconds}); the key is the vault secret {@value #KEY_SECRET},
 * read from its file at each call; the endpoint is {@code base_url}, reached through the sandbox's egress proxy.
 */
public final class WhisperApiSkill implements Skill {

    static final String KEY_SECRET = "OPENAI_API_KEY";
    static final List<String> FORMATS = List.of("json", "text", "srt", "verbose_json", "vtt");
    private static final Duration DEADLINE = Duration.ofSeconds(150);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AudioApi api;

    public WhisperApiSkill() {
        this(System.getenv(), DEADLINE);
    }

    WhisperApiSkill(Map<String, String> env, Duration deadline) {
        this.api = AudioApi.create(env, deadline);
    }

    @Override
    public Map<String, ToolHandler> tools() {
        return Map.of("transcribe", (a, c) -> call("transcriptions", a, c), "translate", (a, c) -> call("translations", a, c));
    }

    private ToolResult call(String endpoint, JsonNode args, ToolContext ctx) throws ToolException {
        String relative = args.path("path").asText(null);
        String format = args.path("format").asText("json");
        if (!FORMATS.contains(format)) {
            throw new ToolException("BAD_FORMAT", "format must be one of " + FORMATS);
        }
        ConfinedRoot workspace;
        try {
            workspace = ConfinedRoot.open(ctx.workspace(), "workspace");
        } catch (IOException e) {
            throw new ToolException("NO_WORKSPACE", "the workspace is not mounted");
        }
        AudioFile audio = AudioFile.open(workspace, relative, AudioFile.MAX_BYTES);
        int maxSeconds = ctx.setting("max_seconds").map(Integer::parseInt).orElse(1800);
        audio.requireAtMost(maxSeconds, relative);
        String key = key(ctx);

        LinkedHashMap<String, String> fields = new LinkedHashMap<>();
        fields.put("model", args.path("model").asText(ctx.setting("default_model").orElse("whisper-1")));
        fields.put("response_format", format);
        if (args.hasNonNull("language")) {
            fields.put("language", args.path("language").asText());
        }
        if (args.hasNonNull("prompt")) {
            fields.put("prompt", args.path("prompt").asText());
        }
        String base = ctx.setting("base_url").filter(s -> !s.isBlank()).orElse(AudioApi.DEFAULT_BASE_URL);
        String body = api.post(base, endpoint, key, fields, audio.path(), "audio." + audio.kind().type(), audio.kind().mime());

        ObjectNode out = JsonNodeFactory.instance.objectNode().put("format", format).put("path", relative)
                .put("bytes", audio.size());
        if (format.equals("json") || format.equals("verbose_json")) {
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                throw new ToolException("BAD_RESPONSE", "the audio API's " + format + " answer is not JSON");
            }
            if (json == null || !json.path("text").isTextual()) {
                throw new ToolException("BAD_RESPONSE", "the audio API's answer has no text");
            }
            out.put("text", json.path("text").asText());
            out.set("response", json);
            return ToolResult.of(format.equals("json") ? json.path("text").asText() : json.toString(), out);
        }
        out.put("text", format.equals("text") ? body.strip() : body);
        return ToolResult.of(body, out);
    }

    private static String key(ToolContext ctx) throws ToolException {
        try {
            return ctx.secret(KEY_SECRET).map(String::strip).filter(k -> !k.isEmpty()).orElseThrow(() ->
                    new ToolException("NO_KEY", "no API key: store it with `claw secrets set " + KEY_SECRET
                            + "` (it is mounted as a file, never passed in the environment)"));
        } catch (IOException e) {
            throw new ToolException("NO_KEY", "cannot read the " + KEY_SECRET + " secret file");
        }
    }
}
