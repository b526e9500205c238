package ai.clawbot.skills.whisper;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What an engine heard: utterances with their times (seconds from the start of the recording) and their words.
 *
 * @param engine   the engine's name
 * @param language the language it decoded
 * @param seconds  the recording's length
 * @param segments the utterances in order (empty when no speech was recognised)
 */
public record Transcript(String engine, String language, double seconds, List<Segment> segments) {

    public Transcript {
        segments = List.copyOf(segments);
    }

    /** The words of every segment, one space apart. */
    public String text() {
        return segments.stream().map(Segment::text).filter(t -> !t.isEmpty()).collect(Collectors.joining(" "));
    }

    /** One utterance. */
    public record Segment(double start, double end, List<Word> words) {

        public Segment {
            words = List.copyOf(words);
        }

        public String text() {
            return words.stream().map(Word::word).collect(Collectors.joining(" "));
        }
    }

    /** One recognised word, its times and the engine's confidence (0 to 1, or -1 when it gives none). */
    public record Word(String word, double start, double end, double confidence) {
    }
}
