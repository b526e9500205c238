package ai.clawbot.host.agents;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session layer of the policy chain, end to end: {@code sessions.patch} narrows one session, the offline model's
 * explicit tool command is then refused in that session before any container starts, the refusal is audited, the
 * restriction survives a restart, and a malformed policy changes nothing.
 */
class SessionPolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger KEYS = new AtomicInteger();

    @TempDir
    Path state;

    @Test
    void aSessionPolicyRefusesAToolTheAgentAllowsAndSurvivesARestart() throws Exception {
        AtomicInteger containers = new AtomicInteger();
        SandboxObserver counting = new SandboxObserver() {
            @Override
            public void started(String containerId, ai.clawbot.host.sandbox.SandboxCall call) {
                containers.incrementAndGet();
            }
        };
        try (Gateway g = TestGateway.start(state, counting);
             ProtocolClient c = ProtocolClient.connect(g.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode bad = c.request("sessions.patch", JSON.createObjectNode().put("sessionKey", "main")
                    .set("policy", JSON.readTree("{\"tools\":{\"deny\":[\"search_content\"]}}")));
            assertThat(bad.at("/error/code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(bad.at("/error/message").asText()).contains("policy not changed");
            assertThat(Files.exists(state.resolve("policies/sessions.json"))).isFalse();

            JsonNode ok = c.request("sessions.patch", JSON.createObjectNode().put("sessionKey", "main")
                    .set("policy", JSON.readTree("{\"tools\":{\"deny\":[\"obsidian.search_content\"]}}")));
            assertThat(ok.path("ok").asBoolean()).as(ok.toString()).isTrue();

            List<JsonNode> events = run(c, "main", "/obsidian search_content query=lighthouse");
            JsonNode end = toolEnd(events);
            assertThat(end.path("status").asText()).isEqualTo("refused");
            assertThat(end.path("result").asText()).contains("policy refused obsidian.search_content")
                    .contains("session");
            assertThat(finalText(events)).contains("policy refused obsidian.search_content");
        }
        assertThat(containers).as("a refused call starts no container").hasValue(0);
        String audit = Files.readString(state.resolve("logs/audit.jsonl"));
        assertThat(audit).contains("\"tool\":\"search_content\"").contains("\"decision\":\"denied\"")
                .contains("session:");

        try (Gateway g = TestGateway.start(state, counting);
             ProtocolClient c = ProtocolClient.connect(g.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode end = toolEnd(run(c, "agent:default:main", "/obsidian search_content query=lighthouse"));
            assertThat(end.path("status").asText()).as("the restriction survives a restart").isEqualTo("refused");
        }
        assertThat(containers).hasValue(0);
    }

    @Test
    void onlyAdminsMayChangeASessionPolicy() throws Exception {
        try (Gateway g = TestGateway.start(state, SandboxObserver.NONE);
             ProtocolClient c = ProtocolClient.open(g.webSocketUri())) {
            c.sendConnect(TestGateway.TOKEN, List.of("operator.read", "operator.write"));
            JsonNode res = c.request("sessions.patch", JSON.createObjectNode().put("sessionKey", "main")
                    .set("policy", JSON.readTree("{\"skills\":[]}")));
            assertThat(res.at("/error/details/code").asText()).isEqualTo("MISSING_SCOPE");
            assertThat(Files.exists(state.resolve("policies/sessions.json"))).isFalse();
        }
    }

    private static List<JsonNode> run(ProtocolClient c, String session, String message) throws Exception {
        JsonNode ack = c.request("chat.send", JSON.createObjectNode().put("sessionKey", session).put("message", message)
                .put("idempotencyKey", "sp-" + KEYS.incrementAndGet()));
        assertThat(ack.at("/payload/status").asText()).as(ack.toString()).isEqualTo("started");
        String runId = ack.at("/payload/runId").asText();
        List<JsonNode> events = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode e = c.nextEvent(Duration.ofMillis(500));
            if (e == null || !runId.equals(e.at("/payload/runId").asText())) {
                continue;
            }
            events.add(e);
            if ("chat".equals(e.path("event").asText()) && "final".equals(e.at("/payload/state").asText())) {
                return events;
            }
        }
        throw new AssertionError("no final chat event for " + runId + "; got " + events);
    }

    private static JsonNode toolEnd(List<JsonNode> events) {
        return events.stream().filter(e -> "tool".equals(e.at("/payload/stream").asText())
                && "end".equals(e.at("/payload/data/phase").asText())).map(e -> e.at("/payload/data"))
                .findFirst().orElseThrow(() -> new AssertionError("no tool end event in " + events));
    }

    private static String finalText(List<JsonNode> events) {
        JsonNode last = events.get(events.size() - 1);
        return last.at("/payload/message/content/0/text").asText();
    }
}
