package ai.clawbot.skills.whisper;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.audio.AudioFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * sox, run directly: the caller's WAV/FLAC/OGG/MP3 to 16 kHz mono 16-bit WAV in the sandbox's {@code /tmp}. The input
 * type is the one its first bytes showed (never guessed from the name), and decoding stops one second past the
 * limit, so a file whose header understates its length cannot fill the tmpfs.
 */
final class SoxConverter {

    static final int RATE = 16_000;
    private static final String SOX = "/usr/bin/sox";
    private static final int WAV_HEADER = 44;

    private SoxConverter() {
    }

    /** Converts, then returns the converted file's real duration (from its size: it is sox's own PCM output). */
    static double toPcm16k(AudioFile audio, Path out, int maxSeconds, String relative) throws ToolException {
        // -R: sox's dither (the noise it adds when it resamples to 16-bit) from a fixed seed, so the same file always
        // gives the same samples and the same text (with a random seed a grammar run heard "(NULL)" once in many).
        Exec.Result r = Exec.run(List.of(SOX, "-V1", "-R", "-t", audio.kind().type(), audio.path().toString(),
                "-t", "wav", "-e", "signed-integer", "-b", "16", "-c", "1", "-r", String.valueOf(RATE), out.toString(),
                "trim", "0", String.valueOf(maxSeconds + 1)), Duration.ofSeconds(60 + maxSeconds / 4));
        if (r.exit() != 0) {
            throw new ToolException("BAD_AUDIO", "sox cannot decode '" + relative + "' as " + audio.kind().type()
                    .toUpperCase(Locale.ROOT) + ": " + reason(r.err(), audio.path().toString()));
        }
        long size;
        try {
            size = Files.size(out);
        } catch (IOException e) {
            throw new ToolException("BAD_AUDIO", "sox wrote nothing for '" + relative + "'");
        }
        double seconds = (double) Math.max(0, size - WAV_HEADER) / (RATE * 2);
        if (seconds > maxSeconds) {
            throw new ToolException("AUDIO_TOO_LONG", String.format(Locale.ROOT, "'%s' decodes to more than %d s "
                    + "though its container says %.1f s; the limit is %d s (setting max_seconds)", relative, maxSeconds,
                    audio.seconds(), maxSeconds));
        }
        if (seconds < 0.05) {
            throw new ToolException("EMPTY_AUDIO", "'" + relative + "' holds no audio samples");
        }
        return seconds;
    }

    private static String reason(String err, String path) {
        String s = err.replace(path, "<file>").replaceAll("\\s+", " ").strip();
        return s.isEmpty() ? "no reason given" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
