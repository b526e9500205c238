package ai.clawbot.skills.whisper;

import ai.clawbot.plugin.api.ToolException;
import java.nio.file.Path;

/**
 * A speech-to-text engine the skill can run in its sandbox. The skill hands it 16 kHz mono 16-bit WAV (sox has
 * converted the caller's file); the engine returns segments with times. The skill's {@code engine} setting picks one
 * by {@link #name()}.
 *
 * <p>A Whisper-format engine (whisper.cpp with a ggml model) plugs in here: its {@code transcribe} runs
 * {@code whisper-cli -m MODEL -f WAV -oj -of OUT [-l LANG]} and reads the JSON's {@code transcription[].offsets}
 * ({@code from}/{@code to} in ms) into segments. It needs an image family carrying the binary and a model, which
 * nothing reachable from this build provides, so it is not shipped: add the engine, its family and the name to the
 * manifest's {@code engine} enum together.
 */
public interface SpeechEngine {

    /** The name the {@code engine} setting uses. */
    String name();

    /** Whether the engine can decode this language (a BCP 47 tag or ISO 639 code; null means the engine's default). */
    boolean supports(String language);

    /**
     * Transcribes {@code wav} (16 kHz, mono, 16-bit PCM) of {@code seconds} length.
     *
     * @param grammar a JSGF grammar restricting what can be heard, or null for open speech
     * @param work    a private scratch folder the engine may write to
     */
    Transcript transcribe(Path wav, double seconds, String language, String grammar, Path work) throws ToolException;
}
