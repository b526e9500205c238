package ai.clawbot.host.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TranscriptEntryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anEntryCannotBeChangedThroughThePayloadItWasBuiltFromOrHandsOut() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("summary", "before");
        TranscriptEntry entry = TranscriptEntry.of("compaction", payload);
        payload.put("summary", "changed by the caller");
        entry.payload().put("summary", "changed through the accessor");
        assertThat(entry.payload().path("summary").asText()).isEqualTo("before");
    }

    @Test
    void theLineFormatRoundTripsAndOnlyEntriesAreEntries() throws Exception {
        TranscriptEntry entry = TranscriptEntry.message("assistant", JSON.readTree("[{\"type\":\"text\",\"text\":\"hi\"}]"))
                .withParentId("p1");
        ObjectNode line = entry.toJson();
        assertThat(JSON.writeValueAsString(line)).startsWith("{\"type\":\"message\",\"id\":\"" + entry.id() + "\",\"parentId\":\"p1\",\"timestamp\":");
        assertThat(TranscriptEntry.fromJson(JSON.readTree(JSON.writeValueAsString(line)))).contains(entry);
        assertThat(entry.role()).isEqualTo("assistant");

        assertThat(TranscriptEntry.fromJson(JSON.readTree("{\"type\":\"session\",\"version\":1,\"id\":\"s\"}"))).isEmpty();
        assertThat(TranscriptEntry.fromJson(JSON.readTree("{\"type\":\"message\"}"))).isEmpty();
        assertThat(TranscriptEntry.fromJson(JSON.readTree("[1]"))).isEmpty();
        // OpenClaw writers sometimes use epoch milliseconds; a bad timestamp must not hide the entry.
        assertThat(TranscriptEntry.fromJson(JSON.readTree("{\"type\":\"custom\",\"id\":\"a\",\"timestamp\":1700000000000}")))
                .hasValueSatisfying(e -> assertThat(e.timestamp()).isEqualTo(Instant.ofEpochMilli(1700000000000L)));
        assertThat(TranscriptEntry.fromJson(JSON.readTree("{\"type\":\"custom\",\"id\":\"a\",\"timestamp\":\"yesterday\"}")))
                .hasValueSatisfying(e -> assertThat(e.timestamp()).isEqualTo(Instant.EPOCH));
    }

    @Test
    void theEnvelopeIsTheRecordsAlone() {
        for (String reserved : new String[] {"type", "id", "parentId", "timestamp"}) {
            ObjectNode payload = JsonNodeFactory.instance.objectNode().put(reserved, "x");
            assertThatThrownBy(() -> TranscriptEntry.of("message", payload)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + reserved + "'");
        }
        assertThatThrownBy(() -> TranscriptEntry.of("session", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TranscriptEntry.of(" ", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TranscriptEntry("message", "", null, Instant.now(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TranscriptEntry.message(null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
