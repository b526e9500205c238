package ai.clawbot.host.agents;

import ai.clawbot.host.sessions.TranscriptEntry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * Keeps secret values a {@code secret}-effect tool revealed to the model out of what a run stores: each occurrence
 * becomes {@value #MARKER}. Values shorter than {@value #MIN_LENGTH} characters are left alone (replacing "1" or
 * "ok" everywhere would garble the transcript and protect nothing).
 */
final class Revealed {

    static final String MARKER = "[redacted secret]";
    static final int MIN_LENGTH = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Revealed() {
    }

    static String scrub(List<String> values, String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        String out = text;
        for (String value : longestFirst(values)) {
            out = out.replace(value, MARKER);
        }
        return out;
    }

    /** The values worth masking, longest first: a short one inside a longer one must not leave part of it showing. */
    private static List<String> longestFirst(List<String> values) {
        return values.stream().map(String::strip).filter(v -> v.length() >= MIN_LENGTH).distinct()
                .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
    }

    static TranscriptEntry scrub(List<String> values, TranscriptEntry entry) {
        if (values.isEmpty()) {
            return entry;
        }
        String json = entry.payload().toString();
        String scrubbed = json;
        for (String value : longestFirst(values)) {
            // As the value appears inside JSON strings (quotes, backslashes and controls escaped).
            String encoded = JSON.getNodeFactory().textNode(value).toString();
            scrubbed = scrubbed.replace(encoded.substring(1, encoded.length() - 1), MARKER);
        }
        if (scrubbed.equals(json)) {
            return entry;
        }
        try {
            JsonNode payload = JSON.readTree(scrubbed);
            return new TranscriptEntry(entry.type(), entry.id(), entry.parentId(), entry.timestamp(), (ObjectNode) payload);
        } catch (IOException e) {
            throw new IllegalStateException("a scrubbed transcript entry is no longer JSON", e);
        }
    }
}
