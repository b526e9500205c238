package ai.clawbot.host.ui;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.stt.SpeechFixtures;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * The chat view's microphone in real Chromium, whose fake capture device plays a pocketsphinx-testdata recording: a
 * click records (MediaRecorder), a second click stops; the page turns the clip into WAV, uploads it with the token,
 * the gateway has the local whisper skill transcribe it in its sandbox through the tool gate, and the transcript
 * lands in the composer. Then the operator points the voice skill at one that is not installed: the page says
 * failed, and why.
 */
@ExtendWith({ChromiumRequired.class, DockerRequired.class})
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ControlUiVoiceTest {

    private static final String CLIP = "sense_and_sensibility_01_austen_64kb-0880.wav";

    @Test
    void theMicrophoneRecordsAndTheTranscriptLandsInTheComposer() throws Exception {
        Path state = Files.createTempDirectory("claw-ui-voice");
        SpeechFixtures.install(state, "whisper");
        Path clip = SpeechFixtures.LIBRIVOX.resolve(CLIP);
        try (Gateway gateway = TestGateway.start(state, SandboxObserver.NONE);
             Browser browser = Browser.start("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                     "--use-file-for-fake-audio-capture=" + clip + "%noloop",
                     "--autoplay-policy=no-user-gesture-required")) {
            ControlUi ui = new ControlUi(browser).signIn(gateway.controlUiUrl());
            ui.tab("chat");
            record(browser, 4);
            browser.until("transcribing", d -> !"recording".equals(voiceState(browser)));
            String text = browser.until("the transcript in the composer", Duration.ofSeconds(90), d -> {
                String v = browser.one(By.id("chat-input")).getDomProperty("value");
                return v == null || v.isBlank() ? ("failed".equals(voiceState(browser)) ? "FAILED: "
                        + browser.one(By.id("chat-voice-status")).getText() : null) : v;
            });
            String reference = SpeechFixtures.librivox().get(CLIP);
            double wer = SpeechFixtures.wer(reference, text);
            System.out.printf(Locale.ROOT, "browser clip WER %.3f%n  ref: %s%n  hyp: %s%n", wer, reference, text);
            assertThat(text).doesNotStartWith("FAILED");
            assertThat(wer).as(text).isLessThanOrEqualTo(0.6);
            assertThat(voiceState(browser)).isEqualTo("idle");
            assertThat(browser.one(By.id("chat-voice-status")).getText()).contains("Transcribed by whisper");
            browser.screenshot("voice-transcribed");

            // The operator's choice of skill is honoured: one that is not installed fails, and the page says why.
            try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
                JsonNode cfg = c.request("config.get", ProtocolClient.params());
                ObjectNode patch = ProtocolClient.params();
                patch.putObject("gateway").putObject("controlUi").putObject("voice").put("skill", "no-such-speech");
                JsonNode res = c.request("config.patch", ProtocolClient.params()
                        .put("baseHash", cfg.at("/payload/hash").asText()).set("patch", patch));
                assertThat(res.path("ok").asBoolean()).as(res.toString()).isTrue();
            }
            record(browser, 1);
            browser.until("the failure", Duration.ofSeconds(30), d -> "failed".equals(voiceState(browser)));
            assertThat(browser.one(By.id("chat-voice-status")).getText()).startsWith("Voice failed:")
                    .contains("no-such-speech");
            assertThat(browser.cspViolations()).as("Content-Security-Policy violations").isEmpty();
        } finally {
            TestGateway.deleteTree(state);
        }
    }

    /** Clicks the microphone, waits until the page has recorded {@code seconds}, clicks Stop. */
    private static void record(Browser browser, int seconds) {
        browser.visible(By.id("chat-mic")).click();
        browser.until("recording " + seconds + " s", d -> "recording".equals(voiceState(browser))
                && Integer.parseInt(browser.one(By.id("chat-voice-status")).getDomAttribute("data-seconds")) >= seconds);
        browser.one(By.id("chat-mic")).click();
    }

    private static String voiceState(Browser browser) {
        return browser.one(By.id("chat-voice-status")).getDomAttribute("data-state");
    }
}
