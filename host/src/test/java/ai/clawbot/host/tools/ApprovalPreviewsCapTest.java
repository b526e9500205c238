package ai.clawbot.host.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** A hostile preview (a skill's, or one fed by a hostile message) cannot flood the operator's approval card. */
class ApprovalPreviewsCapTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void longStringsManyRecipientsAndDeepNestingAreCut() {
        ObjectNode hostile = JSON.createObjectNode().put("subject", "S".repeat(100_000));
        ArrayNode to = hostile.putArray("to");
        for (int i = 0; i < 5000; i++) {
            to.add("victim" + i + "@example.com");
        }
        ObjectNode deep = hostile.putObject("deep");
        for (int i = 0; i < 50; i++) {
            deep = deep.putObject("d");
        }
        JsonNode capped = ApprovalPreviews.capped(hostile);

        assertThat(capped.path("subject").asText()).hasSize(ApprovalPreviews.MAX_STRING + 1).endsWith("…");
        assertThat(capped.path("to")).hasSize(ApprovalPreviews.MAX_ITEMS + 1);
        assertThat(capped.path("to").get(0).asText()).isEqualTo("victim0@example.com");
        assertThat(capped.path("to").get(ApprovalPreviews.MAX_ITEMS).asText()).isEqualTo("… 4900 more");
        assertThat(capped.toString()).contains("\"…\"").hasSizeLessThan(20_000);
    }

    @Test
    void anOrdinaryPreviewIsKeptAsItIs() {
        JsonNode ordinary = JSON.createObjectNode().put("subject", "Re: Boat?").put("body", "Yes.\nNo.")
                .set("to", JSON.createArrayNode().add("bob@example.com"));
        assertThat(ApprovalPreviews.capped(ordinary)).isEqualTo(ordinary);
    }
}
