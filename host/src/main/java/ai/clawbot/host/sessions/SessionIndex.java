package ai.clawbot.host.sessions;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sessions.json}: one row per session key, as OpenClaw keeps it:
 * <pre>{"agent:main:main": {"sessionId": "…", "createdAt": 1718000000000, "updatedAt": 1718000000000}}</pre>
 * Times are epoch milliseconds. Fields this class does not know are kept as they are, so a row written by a
 * newer gateway (or by OpenClaw) loses nothing when this one rewrites the file. Written atomically only.
 */
final class SessionIndex {

    static final String FILE_NAME = "sessions.json";

    // Two rows under one key would make one of them vanish silently: treat such a file as unreadable instead.
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** What reading the index found. */
    sealed interface Loaded {
        /** The rows, in file order; {@code dropped} names rows that were present but unusable (no session id). */
        record Found(LinkedHashMap<String, ObjectNode> rows, List<String> dropped) implements Loaded {
        }

        record Missing() implements Loaded {
        }

        record Unreadable(String why) implements Loaded {
        }
    }

    private SessionIndex() {
    }

    static Loaded read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return new Loaded.Missing();
        } catch (JsonProcessingException e) {
            return new Loaded.Unreadable("it is not valid JSON" + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            return new Loaded.Unreadable(root == null || root.isMissingNode() ? "it is empty" : "it does not hold a JSON object");
        }
        LinkedHashMap<String, ObjectNode> rows = new LinkedHashMap<>();
        List<String> dropped = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getValue().isObject() && e.getValue().path("sessionId").isTextual()) {
                rows.put(e.getKey(), (ObjectNode) e.getValue());
            } else {
                dropped.add(e.getKey());
            }
        }
        return new Loaded.Found(rows, dropped);
    }

    static void write(Path file, Map<String, ObjectNode> rows) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        rows.forEach(root::set);
        Durable.replace(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    static ObjectNode newRow(String sessionId, Instant createdAt, Instant updatedAt) {
        return JSON.createObjectNode().put("sessionId", sessionId)
                .put("createdAt", createdAt.toEpochMilli()).put("updatedAt", updatedAt.toEpochMilli());
    }

    static SessionEntry entry(String agentId, String sessionKey, ObjectNode row) {
        Instant updated = updatedAt(row);
        JsonNode created = row.get("createdAt");
        return new SessionEntry(agentId, sessionKey, sessionId(row),
                created != null && created.canConvertToLong() ? Instant.ofEpochMilli(created.asLong()) : updated,
                updated, missingTranscript(row));
    }

    static String sessionId(ObjectNode row) {
        return row.path("sessionId").asText();
    }

    static Instant updatedAt(ObjectNode row) {
        JsonNode updated = row.get("updatedAt");
        return updated != null && updated.canConvertToLong() ? Instant.ofEpochMilli(updated.asLong()) : Instant.EPOCH;
    }

    static void setUpdatedAt(ObjectNode row, Instant at) {
        row.put("updatedAt", at.toEpochMilli());
    }

    static boolean missingTranscript(ObjectNode row) {
        return row.path("missingTranscript").asBoolean(false);
    }

    static void setMissingTranscript(ObjectNode row, boolean missing) {
        if (missing) {
            row.put("missingTranscript", true);
        } else {
            row.remove("missingTranscript");
        }
    }
}
