package ai.clawbot.host.stt;

import ai.clawbot.host.testkit.ReactorJars;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSigner;
import ai.clawbot.signing.TrustStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Real speech for the speech-to-text tests: Debian's {@code pocketsphinx-testdata} recordings with the transcripts
 * the package ships, speech synthesised by {@code espeak-ng}, and the word error rate.
 */
public final class SpeechFixtures {

    public static final Path TESTDATA = Path.of("/usr/share/pocketsphinx/test/data");
    public static final Path LIBRIVOX = TESTDATA.resolve("librivox");

    private SpeechFixtures() {
    }

    /** The librivox recordings (file name → reference transcript), as the package's {@code transcription} lists them. */
    public static Map<String, String> librivox() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Pattern line = Pattern.compile("<s> (.*) </s> \\((.*)\\)");
        for (String l : Files.readAllLines(LIBRIVOX.resolve("transcription"))) {
            Matcher m = line.matcher(l.strip());
            if (m.matches()) {
                out.put(m.group(2) + ".wav", m.group(1).strip());
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no transcripts in " + LIBRIVOX + ": install Debian's pocketsphinx-testdata");
        }
        return out;
    }

    /** {@code goforward.raw} (16 kHz mono 16-bit little-endian, no header) as a WAV file. */
    public static void goforwardWav(Path target) throws IOException {
        byte[] pcm = Files.readAllBytes(TESTDATA.resolve("goforward.raw"));
        AudioFormat f = new AudioFormat(16000, 16, 1, true, false);
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm), f, pcm.length / 2),
                AudioFileFormat.Type.WAVE, target.toFile());
    }

    /** {@code text} spoken by espeak-ng into a WAV file (22.05 kHz mono). */
    public static void espeak(String text, Path target) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("espeak-ng", "-w", target.toString(), text).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("espeak-ng failed (install Debian's espeak-ng): " + out);
        }
    }

    /** Word error rate: word-level edit distance over the reference's length, case and punctuation ignored. */
    public static double wer(String reference, String hypothesis) {
        List<String> r = words(reference);
        List<String> h = words(hypothesis);
        int[] prev = new int[h.size() + 1];
        int[] cur = new int[h.size() + 1];
        for (int j = 0; j <= h.size(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= r.size(); i++) {
            cur[0] = i;
            for (int j = 1; j <= h.size(); j++) {
                int sub = prev[j - 1] + (r.get(i - 1).equals(h.get(j - 1)) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return (double) prev[h.size()] / Math.max(1, r.size());
    }

    private static List<String> words(String s) {
        String clean = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z' ]", " ").strip();
        return clean.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(clean.split("\\s+")));
    }

    /** The reactor's plugin jar into the state's plugins, signed by a fresh key the state trusts. */
    public static void install(Path state, String plugin) throws Exception {
        Path jar = Files.createDirectories(state.resolve("plugins")).resolve(plugin + ".jar");
        Files.copy(ReactorJars.plugin(plugin), jar);
        KeyPair key = Keys.generate();
        TrustStore.open(state.resolve("trust")).add(key.getPublic(), "e2e-" + plugin);
        Files.write(jar.resolveSibling(plugin + ".jar.sig"), PluginSigner.sign(Files.readAllBytes(jar),
                key.getPrivate(), key.getPublic(), Instant.now()).toBytes());
    }
}
