package ai.clawbot.host.tools;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.TestPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An approval raised on gateway A (a {@code tools.invoke} of an {@code external} tool waiting there) is seen by a
 * client of gateway B, decided there, and applied on A; the first decision wins across gateways, and a made-up id
 * is refused as unknown on either.
 */
class ApprovalAcrossGatewaysTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void anApprovalRaisedOnAIsDecidedFromB() throws Exception {
        String url = TestPostgres.shared().createDatabase();
        Path stateA = tmp.resolve("a");
        Path stateB = tmp.resolve("b");
        for (Path state : new Path[] {stateA, stateB}) {
            Files.createDirectories(state);
            GateSkill.install(state);
            Files.writeString(state.resolve("openclaw.json"), """
                    {"gateway": {"store": {"kind": "postgres", "url": "%s"}},
                     "agents": {"list": [{"id": "main", "default": true}]}}
                    """.formatted(url));
        }
        try (Gateway a = TestGateway.start(stateA, Gateway.Options.defaults().approvalTimeout(WAIT));
             Gateway b = TestGateway.start(stateB, Gateway.Options.defaults().approvalTimeout(WAIT));
             ProtocolClient onA = ProtocolClient.connect(a.webSocketUri(), TestGateway.TOKEN);
             ProtocolClient onB = ProtocolClient.connect(b.webSocketUri(), TestGateway.TOKEN)) {
            ObjectNode invoke = JSON.createObjectNode().put("agentId", "main").put("skill", "gatekeep").put("tool", "send");
            invoke.putObject("args").put("to", "mallory");
            CompletableFuture<JsonNode> waiting = onA.requestAsync("tools.invoke", invoke);

            JsonNode requested = onB.eventsUntil(e -> "approval.requested".equals(e.path("event").asText()), WAIT)
                    .getLast().path("payload");
            assertThat(requested.at("/args/to").asText()).isEqualTo("mallory");
            assertThat(requested.path("effect").asText()).isEqualTo("external");
            String id = requested.path("id").asText();
            assertThat(waiting).isNotDone();
            JsonNode listedOnB = onB.request("approvals.list", JSON.createObjectNode()).path("payload");
            assertThat(listedOnB.path("pending")).extracting(r -> r.path("id").asText()).containsExactly(id);

            JsonNode decided = onB.request("approvals.resolve", JSON.createObjectNode().put("id", id).put("decision", "deny"));
            assertThat(decided.path("ok").asBoolean()).as(decided.toString()).isTrue();

            JsonNode result = waiting.get(60, TimeUnit.SECONDS);
            assertThat(result.path("ok").asBoolean()).isFalse();
            assertThat(result.at("/error/details/code").asText()).as(result.toString()).isEqualTo("APPROVAL_DENIED");
            JsonNode resolvedOnB = onB.eventsUntil(e -> "approval.resolved".equals(e.path("event").asText())
                    && id.equals(e.at("/payload/request/id").asText()), WAIT).getLast();
            assertThat(resolvedOnB.at("/payload/decision").asText()).isEqualTo("denied");

            // The first decision wins: a later one, on either gateway, changes nothing.
            for (ProtocolClient c : new ProtocolClient[] {onA, onB}) {
                JsonNode late = c.request("approvals.resolve", JSON.createObjectNode().put("id", id).put("decision", "approve"));
                assertThat(late.at("/error/details/code").asText()).as(late.toString()).isEqualTo("ALREADY_RESOLVED");
            }
            assertThat(onB.request("approvals.list", JSON.createObjectNode()).at("/payload/pending")).isEmpty();
            JsonNode unknown = onB.request("approvals.resolve", JSON.createObjectNode().put("id", "appr_nope").put("decision", "approve"));
            assertThat(unknown.at("/error/details/code").asText()).isEqualTo("UNKNOWN_APPROVAL");
        }
    }
}
