package ai.clawbot.skills.whisper;

import ai.clawbot.plugin.api.ToolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Debian's PocketSphinx ({@code pocketsphinx_continuous} of 5prealpha) with the {@code pocketsphinx-en-us} model.
 * With {@code -time yes} it prints, per utterance its voice activity detector finds, the hypothesis and then one line
 * per word: {@code word start end confidence}, times in seconds from the start of the file. Fillers ({@code <s>},
 * {@code <sil>}, {@code [NOISE]}) are dropped and alternative pronunciations ({@code was(2)}) named by their word.
 */
final class PocketSphinxEngine implements SpeechEngine {

    static final String NAME = "pocketsphinx";
    private static final String PROGRAM = "/usr/bin/pocketsphinx_continuous";
    private static final Path MODEL = Path.of("/usr/share/pocketsphinx/model/en-us");
    private static final Pattern WORD = Pattern.compile("^(\\S+) (\\d+\\.\\d+) (\\d+\\.\\d+) (-?[0-9.eE+-]+)$");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean supports(String language) {
        return language == null || language.toLowerCase(Locale.ROOT).matches("en(g)?(-[a-z0-9]+)?");
    }

    @Override
    public Transcript transcribe(Path wav, double seconds, String language, String grammar, Path work) throws ToolException {
        Path log = work.resolve("pocketsphinx.log");
        List<String> argv = new ArrayList<>(List.of(PROGRAM, "-infile", wav.toString(),
                "-hmm", MODEL.resolve("en-us").toString(), "-dict", MODEL.resolve("cmudict-en-us.dict").toString(),
                "-time", "yes", "-logfn", log.toString()));
        if (grammar != null) {
            Path g = work.resolve("grammar.gram");
            try {
                Files.writeString(g, grammar, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ToolException("ENGINE_FAILED", "cannot stage the grammar: " + e.getMessage());
            }
            argv.addAll(List.of("-jsgf", g.toString()));
        } else {
            argv.addAll(List.of("-lm", MODEL.resolve("en-us.lm.bin").toString()));
        }
        // Decoding runs at roughly real time on one core; allow generously more, the manifest's timeout still rules.
        Exec.Result r = Exec.run(argv, Duration.ofSeconds(30 + (long) (seconds * 4)));
        if (r.exit() != 0) {
            throw new ToolException(grammar != null ? "BAD_GRAMMAR" : "ENGINE_FAILED",
                    (grammar != null ? "PocketSphinx refused the grammar or the audio: " : "PocketSphinx failed: ")
                            + errors(log, work));
        }
        return new Transcript(NAME, "en", seconds, parse(r.out()));
    }

    /** Segments from {@code -time yes} output. */
    static List<Transcript.Segment> parse(String out) {
        List<Transcript.Segment> segments = new ArrayList<>();
        List<Transcript.Word> words = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = WORD.matcher(line.strip());
            if (!m.matches()) {
                // A hypothesis line starts the next utterance.
                flush(words, segments);
                continue;
            }
            String w = m.group(1);
            if (w.startsWith("<") || w.startsWith("[") || w.startsWith("++")) {
                continue;
            }
            words.add(new Transcript.Word(w.replaceFirst("\\(\\d+\\)$", ""), Double.parseDouble(m.group(2)),
                    Double.parseDouble(m.group(3)), Math.max(0, Math.min(1, Double.parseDouble(m.group(4))))));
        }
        flush(words, segments);
        return segments;
    }

    private static void flush(List<Transcript.Word> words, List<Transcript.Segment> segments) {
        if (!words.isEmpty()) {
            segments.add(new Transcript.Segment(words.get(0).start(), words.get(words.size() - 1).end(), words));
            words.clear();
        }
    }

    /** The ERROR lines of the engine's log, without the scratch folder's path. */
    private static String errors(Path log, Path work) {
        try {
            String lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("ERROR"))
                    .map(l -> l.replaceFirst("^ERROR: \"[^\"]*\", line \\d+: ", "").replace(work.toString() + "/", ""))
                    .distinct().limit(5).collect(Collectors.joining("; "));
            return lines.isEmpty() ? "no reason given" : lines;
        } catch (IOException e) {
            return "no log";
        }
    }
}
