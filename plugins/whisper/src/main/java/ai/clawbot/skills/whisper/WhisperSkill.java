package ai.clawbot.skills.whisper;

import ai.clawbot.plugin.api.Skill;
import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolHandler;
import ai.clawbot.plugin.api.ToolResult;
import ai.clawbot.plugin.audio.AudioFile;
import ai.clawbot.plugin.fs.ConfinedRoot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Speech to text on the machine: {@code transcribe} checks the workspace file ({@link AudioFile}: confined, at most
 * 25 MB, a known container, an honest WAV header, not over {@code max_seconds}), converts it with sox to 16 kHz mono
 * in a private scratch folder of {@code /tmp}, and has the engine the settings name decode it. Nothing is written to
 * the workspace; the scratch folder is removed after every call.
 */
public final class WhisperSkill implements Skill {

    static final int DEFAULT_MAX_SECONDS = 600;
    private final List<SpeechEngine> engines;

    public WhisperSkill() {
        this(List.of(new PocketSphinxEngine()));
    }

    WhisperSkill(List<SpeechEngine> engines) {
        this.engines = List.copyOf(engines);
    }

    @Override
    public Map<String, ToolHandler> tools() {
        return Map.of("transcribe", this::transcribe);
    }

    private ToolResult transcribe(JsonNode args, ToolContext ctx) throws ToolException {
        String relative = args.path("path").asText(null);
        String format = args.path("format").asText("text");
        if (!TranscriptFormats.FORMATS.contains(format)) {
            throw new ToolException("BAD_FORMAT", "format must be one of " + TranscriptFormats.FORMATS);
        }
        String language = args.hasNonNull("language") ? args.path("language").asText() : null;
        String grammar = args.hasNonNull("grammar") ? args.path("grammar").asText() : null;
        if (grammar != null && !grammar.stripLeading().startsWith("#JSGF")) {
            throw new ToolException("BAD_GRAMMAR", "grammar must be a JSGF grammar, starting with '#JSGF V1.0;'");
        }
        SpeechEngine engine = engine(ctx);
        if (!engine.supports(language)) {
            throw new ToolException("UNSUPPORTED_LANGUAGE", "the " + engine.name() + " engine decodes English only, "
                    + "not '" + language + "'");
        }
        int maxSeconds = ctx.setting("max_seconds").map(Integer::parseInt).orElse(DEFAULT_MAX_SECONDS);

        ConfinedRoot workspace = workspace(ctx);
        AudioFile audio = AudioFile.open(workspace, relative, AudioFile.MAX_BYTES, SOX_DECODES);
        audio.requireAtMost(maxSeconds, relative);

        Path work = scratch();
        try {
            Path pcm = work.resolve("audio.wav");
            double seconds = SoxConverter.toPcm16k(audio, pcm, maxSeconds, relative);
            Transcript t = engine.transcribe(pcm, seconds, language, grammar, work);
            ObjectNode structured = TranscriptFormats.json(t).put("format", format).put("path", relative);
            String rendered = TranscriptFormats.render(t, format);
            return ToolResult.of(rendered.isEmpty() ? "(no speech recognised)" : rendered, structured);
        } finally {
            delete(work);
        }
    }

    /** The containers the image's sox decodes (WebM and MP4 need ffmpeg, which skill-stt does not carry). */
    private static final java.util.Set<AudioFile.Kind> SOX_DECODES = java.util.EnumSet.of(AudioFile.Kind.WAV,
            AudioFile.Kind.FLAC, AudioFile.Kind.OGG, AudioFile.Kind.MP3);

    private SpeechEngine engine(ToolContext ctx) throws ToolException {
        String name = ctx.setting("engine").orElse(PocketSphinxEngine.NAME);
        return engines.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(() ->
                new ToolException("UNKNOWN_ENGINE", "no engine '" + name + "' in this image (engines: "
                        + engines.stream().map(SpeechEngine::name).toList() + ")"));
    }

    private static ConfinedRoot workspace(ToolContext ctx) throws ToolException {
        try {
            return ConfinedRoot.open(ctx.workspace(), "workspace");
        } catch (IOException e) {
            throw new ToolException("NO_WORKSPACE", "the workspace is not mounted");
        }
    }

    private static Path scratch() throws ToolException {
        try {
            return Files.createTempDirectory("claw-stt-");
        } catch (IOException e) {
            throw new ToolException("NO_SCRATCH", "cannot create a scratch folder in /tmp: " + e.getMessage());
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> s = Files.walk(folder)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // the container's tmpfs goes with it
        }
    }
}
