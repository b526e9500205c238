package ai.clawbot.skills.whisper;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** A transcript as {@code text}, {@code json}, {@code srt} or {@code vtt} (the formats of OpenAI's CLI). */
final class TranscriptFormats {

    private TranscriptFormats() {
    }

    static final List<String> FORMATS = List.of("text", "json", "srt", "vtt");

    static String render(Transcript t, String format) {
        return switch (format) {
            case "json" -> json(t).toString();
            case "srt" -> subtitles(t, false);
            case "vtt" -> subtitles(t, true);
            default -> t.text();
        };
    }

    static ObjectNode json(Transcript t) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("engine", t.engine()).put("language", t.language())
                .put("duration", round(t.seconds())).put("text", t.text());
        ArrayNode segs = o.putArray("segments");
        int id = 0;
        for (Transcript.Segment s : t.segments()) {
            ObjectNode so = segs.addObject().put("id", id++).put("start", round(s.start())).put("end", round(s.end()))
                    .put("text", s.text());
            ArrayNode words = so.putArray("words");
            for (Transcript.Word w : s.words()) {
                words.addObject().put("word", w.word()).put("start", round(w.start())).put("end", round(w.end()))
                        .put("confidence", round(w.confidence()));
            }
        }
        return o;
    }

    private static String subtitles(Transcript t, boolean vtt) {
        StringBuilder b = new StringBuilder(vtt ? "WEBVTT\n\n" : "");
        int n = 1;
        for (Transcript.Segment s : t.segments()) {
            if (!vtt) {
                b.append(n++).append('\n');
            }
            b.append(time(s.start(), vtt)).append(" --> ").append(time(s.end(), vtt)).append('\n')
                    .append(s.text()).append("\n\n");
        }
        return b.toString();
    }

    /** {@code HH:MM:SS,mmm} (SRT) or {@code HH:MM:SS.mmm} (WebVTT). */
    static String time(double seconds, boolean vtt) {
        long ms = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d%s%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
                vtt ? "." : ",", ms % 1000);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
