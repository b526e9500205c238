package ai.clawbot.skills.whisper;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.testkit.SkillHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PocketSphinx's {@code -time yes} output (as Debian's 5prealpha prints it for two utterances) into segments, and the
 * segments as text, SRT, WebVTT and JSON; and the refusals the skill makes before it runs sox or the engine.
 */
class TranscriptFormatsTest {

    private static final String OUTPUT = """
            he was not an illness those young man
            <s> 0.000 0.060 0.999300
            <sil> 0.070 0.200 0.694306
            he 0.210 0.320 0.998601
            was(2) 0.330 0.540 0.999500
            not 0.550 0.970 0.998501
            [SPEECH] 0.980 1.100 0.546364
            an(2) 1.110 1.290 0.471287
            illness 1.300 1.680 0.840700
            those 1.690 2.040 0.053813
            young 2.050 2.320 0.048313
            man 2.330 2.790 0.903832
            </s> 2.800 3.090 1.000000
            he might even have been made the amiable himself
            <s> 4.880 5.200 1.000000
            he 5.210 5.370 0.999400
            might 5.380 5.620 0.999600
            himself 7.270 8.010 1.000100
            </s> 8.020 8.270 1.000000
            """;

    @Test
    void utterancesBecomeTimedSegmentsWithoutFillers() {
        List<Transcript.Segment> segs = PocketSphinxEngine.parse(OUTPUT);
        assertThat(segs).hasSize(2);
        assertThat(segs.get(0).text()).isEqualTo("he was not an illness those young man");
        assertThat(segs.get(0).start()).isEqualTo(0.21);
        assertThat(segs.get(0).end()).isEqualTo(2.79);
        assertThat(segs.get(1).text()).isEqualTo("he might himself");
        assertThat(segs.get(1).words().get(2).confidence()).isEqualTo(1.0);
        Transcript t = new Transcript("pocketsphinx", "en", 8.27, segs);

        assertThat(TranscriptFormats.render(t, "text")).isEqualTo("he was not an illness those young man he might himself");
        assertThat(TranscriptFormats.render(t, "srt")).isEqualTo("""
                1
                00:00:00,210 --> 00:00:02,790
                he was not an illness those young man

                2
                00:00:05,210 --> 00:00:08,010
                he might himself

                """);
        assertThat(TranscriptFormats.render(t, "vtt")).isEqualTo("""
                WEBVTT

                00:00:00.210 --> 00:00:02.790
                he was not an illness those young man

                00:00:05.210 --> 00:00:08.010
                he might himself

                """);
        var json = TranscriptFormats.json(t);
        assertThat(json.at("/segments/1/words/0/start").asDouble()).isEqualTo(5.21);
        assertThat(json.path("duration").asDouble()).isEqualTo(8.27);
        assertThat(TranscriptFormats.time(3723.4567, false)).isEqualTo("01:02:03,457");
    }

    @Test
    void silenceIsNoSegments() {
        assertThat(PocketSphinxEngine.parse("\n")).isEmpty();
        assertThat(PocketSphinxEngine.parse("<s> 0.000 0.500 1.000000\n</s> 0.510 1.000 1.000000\n")).isEmpty();
    }

    @Test
    void refusalsComeBeforeAnyDecoding(@TempDir Path ws, @TempDir Path outside) throws Exception {
        Files.writeString(outside.resolve("secret"), "s3cret");
        Files.createSymbolicLink(ws.resolve("link.wav"), outside.resolve("secret"));
        Files.write(ws.resolve("empty.wav"), new byte[0]);
        Files.write(ws.resolve("clip.webm"), new byte[]{0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, 0, 0, 0, 0});
        try (SkillHarness h = SkillHarness.of(new WhisperSkill()).workspace(ws)) {
            h.call("transcribe", "path", "link.wav").refused("OUTSIDE_WORKSPACE");
            h.call("transcribe", "path", "../x.wav").refused("OUTSIDE_WORKSPACE");
            h.call("transcribe", "path", "/run/secrets/OPENAI_API_KEY").refused("OUTSIDE_WORKSPACE");
            h.call("transcribe", "path", "empty.wav").refused("EMPTY_AUDIO");
            h.call("transcribe", "path", "clip.webm").refused("UNSUPPORTED_AUDIO");
            h.call("transcribe", "path", "empty.wav", "language", "de").refused("UNSUPPORTED_LANGUAGE");
            h.call("transcribe", "path", "empty.wav", "grammar", "go | stop").refused("BAD_GRAMMAR");
        }
        try (SkillHarness h = SkillHarness.of(new WhisperSkill()).workspace(ws).setting("engine", "whisper-cpp")) {
            h.callUnchecked("transcribe", SkillHarness.args("path", "empty.wav")).refused("UNKNOWN_ENGINE");
        }
    }
}
