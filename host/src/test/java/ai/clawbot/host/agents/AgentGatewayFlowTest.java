package ai.clawbot.host.agents;

import static ai.clawbot.host.agents.LoopRig.offered;
import static ai.clawbot.host.testkit.ScriptedChatModel.call;
import static ai.clawbot.host.testkit.ScriptedChatModel.text;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.ScriptedChatModel;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent loop behind a real gateway and WebSocket clients, with only the model scripted: tool events, a policy
 * refusal, an approval requested, refused to a client without {@code operator.approvals}, denied by an operator,
 * and what {@code chat.history} holds afterwards. Nothing reaches the sandbox, so no Docker is needed.
 */
@Timeout(value = 45, unit = TimeUnit.SECONDS)
class AgentGatewayFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final AtomicReference<ScriptedChatModel> MODEL = new AtomicReference<>(ScriptedChatModel.of());
    private static final String CONFIG = """
            {"agents": {"list": [{"id": "ops", "default": true, "skills": ["demo"], "tools": {"deny": ["demo.write"]}}]}}
            """;

    private static Path state;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        state = Files.createTempDirectory("agent-flow");
        DemoSkills.install(state);
        Files.writeString(state.resolve("openclaw.json"), CONFIG);
        gateway = TestGateway.start(state, Gateway.Options.defaults()
                .models(agent -> new StreamingModelCaller(MODEL.get(), "scripted")).approvalTimeout(Duration.ofSeconds(20)));
        assertThat(gateway.catalog().skills()).extracting(s -> s.id()).contains("demo");
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        TestGateway.deleteTree(state);
    }

    @Test
    void aRefusedCallAndADeniedApprovalStreamToClientsAndLandInHistory() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(call("demo__write", "{\"path\":\"a.md\",\"content\":\"x\"}"),
                call("demo__send", "{\"to\":\"bob\"}"), text("All done."));
        MODEL.set(model);
        try (ProtocolClient op = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN);
             ProtocolClient writer = client(List.of("operator.read", "operator.write"))) {
            String session = "agent:ops:flow-" + UUID.randomUUID().toString().substring(0, 8);
            JsonNode ack = ok(op.request("chat.send", p().put("sessionKey", session).put("message", "go")
                    .put("idempotencyKey", UUID.randomUUID().toString())));
            String runId = ack.path("runId").asText();

            List<JsonNode> seen = new ArrayList<>(op.eventsUntil(event("approval.requested"), WAIT));
            JsonNode req = seen.getLast().path("payload");
            String id = req.path("id").asText();
            assertThat(id).startsWith("appr_");
            assertThat(req.path("agentId").asText()).isEqualTo("ops");
            assertThat(req.path("sessionKey").asText()).isEqualTo(session);
            assertThat(req.path("skill").asText() + "." + req.path("tool").asText()).isEqualTo("demo.send");
            assertThat(req.path("effect").asText()).isEqualTo("external");
            assertThat(req.path("args").path("to").asText()).isEqualTo("bob");
            assertThat(req.path("expiresAt").asLong()).isGreaterThan(req.path("createdAt").asLong());
            writer.eventsUntil(event("approval.requested"), WAIT);

            // Without operator.approvals: refused, and nothing changed.
            JsonNode forbidden = err(writer.request("approvals.resolve", p().put("id", id).put("decision", "approve")),
                    "FORBIDDEN");
            assertThat(forbidden.path("details").path("missingScope").asText()).isEqualTo("operator.approvals");
            err(op.request("approvals.resolve", p().put("id", id).put("decision", "yes")), "INVALID_REQUEST");
            JsonNode list = ok(writer.request("approvals.list", p()));
            assertThat(list.path("pending").findValuesAsText("id")).containsExactly(id);

            JsonNode denied = ok(op.request("approvals.resolve", p().put("id", id).put("decision", "deny")));
            assertThat(denied.path("decision").asText()).isEqualTo("denied");
            err(op.request("approvals.resolve", p().put("id", id).put("decision", "approve")), "INVALID_REQUEST");
            err(op.request("approvals.resolve", p().put("id", "appr_unknown").put("decision", "approve")), "NOT_FOUND");

            seen.addAll(op.eventsUntil(e -> isChat(e, runId, "final"), WAIT));
            List<String> tool = seen.stream().filter(e -> isAgent(e, runId, "tool")).map(e -> e.path("payload").path("data"))
                    .map(d -> d.path("phase").asText() + ":" + d.path("name").asText()
                            + (d.has("status") ? ":" + d.path("status").asText() : "")).toList();
            assertThat(tool).containsExactly("start:demo__write", "end:demo__write:refused", "start:demo__send",
                    "end:demo__send:denied");
            assertThat(seen).anySatisfy(e -> {
                assertThat(event("approval.resolved").test(e)).isTrue();
                assertThat(e.path("payload").path("request").path("id").asText()).isEqualTo(id);
                assertThat(e.path("payload").path("decision").asText()).isEqualTo("denied");
            });
            JsonNode fin = seen.getLast().path("payload");
            assertThat(fin.path("stopReason").asText()).isEqualTo("stop");
            assertThat(fin.path("message").path("content").get(0).path("text").asText()).isEqualTo("All done.");

            assertThat(model.requests()).hasSize(3);
            assertThat(offered(model.requests().get(0))).contains("demo__send", "demo__lookup").doesNotContain("demo__write");
            assertThat(LoopRig.results(model.requests().get(2)).get(1).text()).contains("denied");

            JsonNode messages = ok(op.request("chat.history", p().put("sessionKey", session))).path("messages");
            List<String> roles = new ArrayList<>();
            messages.forEach(m -> roles.add(m.path("role").asText()));
            assertThat(roles).containsExactly("user", "assistant", "toolResult", "assistant", "toolResult", "assistant");
            assertThat(messages.get(1).path("content").get(0).path("type").asText()).isEqualTo("toolCall");
            assertThat(messages.get(2).path("status").asText()).isEqualTo("refused");
            assertThat(messages.get(2).path("toolCallId").asText())
                    .isEqualTo(messages.get(1).path("content").get(0).path("id").asText());
            assertThat(messages.get(3).path("content").get(0).path("name").asText()).isEqualTo("demo.send");
            assertThat(messages.get(4).path("status").asText()).isEqualTo("denied");
            assertThat(messages.get(5).path("content").get(0).path("text").asText()).isEqualTo("All done.");

            List<String> audit = Files.readAllLines(state.resolve("logs").resolve("audit.jsonl"));
            assertThat(audit).anySatisfy(l -> assertThat(JSON.readTree(l).path("decision").asText()).isEqualTo("denied"))
                    .allSatisfy(l -> assertThat(l).doesNotContain(TestGateway.TOKEN));
        }
    }

    @Test
    void abortingARunThatWaitsForApprovalDeniesTheApprovalAndEndsTheRun() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(call("demo__send", "{\"to\":\"eve\"}"), text("must not be asked"));
        MODEL.set(model);
        try (ProtocolClient op = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            String session = "agent:ops:abort-" + UUID.randomUUID().toString().substring(0, 8);
            String runId = ok(op.request("chat.send", p().put("sessionKey", session).put("message", "send")
                    .put("idempotencyKey", UUID.randomUUID().toString()))).path("runId").asText();
            List<JsonNode> seen = new ArrayList<>(op.eventsUntil(event("approval.requested"), WAIT));
            String id = seen.getLast().path("payload").path("id").asText();

            JsonNode aborted = ok(op.request("chat.abort", p().put("sessionKey", session).put("runId", runId)));
            assertThat(aborted.path("aborted").asBoolean()).isTrue();
            seen.addAll(op.eventsUntil(e -> isChat(e, runId, "aborted"), WAIT));
            // Approval events go out from the queue's own event thread: in order among themselves, but not
            // ordered against the run's events, so the withdrawal may arrive after the run ended.
            java.util.function.Predicate<JsonNode> resolved = e -> event("approval.resolved").test(e)
                    && e.path("payload").path("request").path("id").asText().equals(id);
            if (seen.stream().noneMatch(resolved)) {
                seen.addAll(op.eventsUntil(resolved, WAIT));
            }

            assertThat(seen).anySatisfy(e -> {
                assertThat(event("approval.resolved").test(e)).isTrue();
                assertThat(e.path("payload").path("request").path("id").asText()).isEqualTo(id);
                assertThat(e.path("payload").path("decision").asText()).isEqualTo("denied");
            });
            assertThat(seen).anySatisfy(e -> {
                assertThat(isAgent(e, runId, "tool")).isTrue();
                assertThat(e.path("payload").path("data").path("status").asText()).isEqualTo("aborted");
            });
            assertThat(model.requests()).hasSize(1);
            assertThat(ok(op.request("approvals.list", p())).path("pending")).isEmpty();
        }
    }

    private static ProtocolClient client(List<String> scopes) throws Exception {
        ProtocolClient c = ProtocolClient.open(gateway.webSocketUri());
        ok(c.sendConnect(TestGateway.TOKEN, scopes));
        return c;
    }

    private static ObjectNode p() {
        return JSON.createObjectNode();
    }

    private static JsonNode ok(JsonNode res) {
        assertThat(res.path("ok").asBoolean()).as("expected ok: %s", res).isTrue();
        return res.path("payload");
    }

    private static JsonNode err(JsonNode res, String code) {
        assertThat(res.path("ok").asBoolean()).as("expected an error: %s", res).isFalse();
        assertThat(res.path("error").path("code").asText()).as("code of %s", res).isEqualTo(code);
        return res.path("error");
    }

    private static Predicate<JsonNode> event(String name) {
        return e -> "event".equals(e.path("type").asText()) && name.equals(e.path("event").asText());
    }

    private static boolean isChat(JsonNode e, String runId, String state) {
        return event("chat").test(e) && runId.equals(e.path("payload").path("runId").asText())
                && state.equals(e.path("payload").path("state").asText());
    }

    private static boolean isAgent(JsonNode e, String runId, String stream) {
        return event("agent").test(e) && runId.equals(e.path("payload").path("runId").asText())
                && stream.equals(e.path("payload").path("stream").asText());
    }
}
