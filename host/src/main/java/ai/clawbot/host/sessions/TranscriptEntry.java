package ai.clawbot.host.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One line of a transcript after the header: {@code {"type","id","parentId","timestamp", ...payload}}. Entries
 * form a tree through {@code parentId} (OpenClaw's pi transcript format); {@code payload} holds the fields of
 * the type, e.g. {@code role} and {@code content} of a {@code message}.
 *
 * <p>The payload is copied in and out, so an entry cannot change after it was built or appended.
 */
public record TranscriptEntry(String type, String id, String parentId, Instant timestamp, ObjectNode payload) {

    /** The line fields the record itself holds; a payload may not set them. */
    static final Set<String> ENVELOPE = Set.of("type", "id", "parentId", "timestamp");
    /** The type of the header line, which is not an entry. */
    static final String HEADER_TYPE = "session";

    public TranscriptEntry {
        if (type == null || type.isBlank() || HEADER_TYPE.equals(type)) {
            throw new IllegalArgumentException("invalid transcript entry type " + (type == null ? "(none)" : "'" + type + "'"));
        }
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a transcript entry needs an id");
        }
        Objects.requireNonNull(timestamp, "timestamp");
        if (payload == null) {
            payload = JsonNodeFactory.instance.objectNode();
        } else {
            for (String reserved : ENVELOPE) {
                if (payload.has(reserved)) {
                    throw new IllegalArgumentException("the payload of a transcript entry may not set '" + reserved + "'");
                }
            }
            payload = payload.deepCopy();
        }
    }

    /** A new {@code message} entry ({@code role}: user, assistant, toolResult, ...), stamped now, parent to be chained. */
    public static TranscriptEntry message(String role, JsonNode content) {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("a message needs a role");
        }
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("role", role);
        payload.set("content", content == null ? JsonNodeFactory.instance.nullNode() : content.deepCopy());
        return of("message", payload);
    }

    /** A new entry of {@code type}, with a fresh id, stamped now, parent to be chained. */
    public static TranscriptEntry of(String type, ObjectNode payload) {
        return new TranscriptEntry(type, UUID.randomUUID().toString(), null, Instant.now(), payload);
    }

    @Override
    public ObjectNode payload() {
        return payload.deepCopy();
    }

    /** The payload's {@code role}, or null when it has none. */
    public String role() {
        JsonNode role = payload.get("role");
        return role != null && role.isTextual() ? role.asText() : null;
    }

    public TranscriptEntry withParentId(String newParentId) {
        return new TranscriptEntry(type, id, newParentId, timestamp, payload);
    }

    /** The line as written: the envelope first, then the payload's fields in their order. */
    public ObjectNode toJson() {
        ObjectNode line = JsonNodeFactory.instance.objectNode().put("type", type).put("id", id);
        if (parentId == null) {
            line.putNull("parentId");
        } else {
            line.put("parentId", parentId);
        }
        line.put("timestamp", timestamp.toString());
        line.setAll(payload);
        return line;
    }

    /**
     * The entry a transcript line holds; empty for the header and for lines that are JSON but not entries (no
     * type or id), which are kept on disk but not returned.
     */
    static Optional<TranscriptEntry> fromJson(JsonNode line) {
        if (line == null || !line.isObject() || !line.path("type").isTextual() || !line.path("id").isTextual()
                || HEADER_TYPE.equals(line.get("type").asText()) || line.get("id").asText().isBlank()) {
            return Optional.empty();
        }
        ObjectNode payload = ((ObjectNode) line).deepCopy();
        payload.remove(ENVELOPE);
        JsonNode parent = line.get("parentId");
        return Optional.of(new TranscriptEntry(line.get("type").asText(), line.get("id").asText(),
                parent != null && parent.isTextual() ? parent.asText() : null, timestamp(line.get("timestamp")), payload));
    }

    /** ISO-8601 as written here and by pi; epoch milliseconds as some OpenClaw writers use; else the epoch. */
    static Instant timestamp(JsonNode node) {
        if (node != null && node.isNumber()) {
            return Instant.ofEpochMilli(node.asLong());
        }
        if (node != null && node.isTextual()) {
            try {
                return Instant.parse(node.asText());
            } catch (DateTimeParseException e) {
                // Falls through: a bad timestamp must not hide the entry.
            }
        }
        return Instant.EPOCH;
    }
}
