package ai.clawbot.host.tools;

import ai.clawbot.host.wiring.Gateways;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens to a {@code tools.invoke} that waits at the gate, and to requests the gate refuses before anyone is
 * asked: an approval nobody answers times out the same through both doors, a connection that goes away withdraws its
 * request, an unknown agent is a typed error. Nothing here reaches a sandbox (so no Docker is needed; a container
 * start would fail the tests).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ToolsInvokeWaitTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path state;
    private Gateway gateway;
    private final AtomicInteger containers = new AtomicInteger();

    private Gateway start(Duration approvalTimeout) throws Exception {
        GateSkill.install(state);
        Files.writeString(state.resolve("openclaw.json"), """
                {"agents": {"list": [{"id": "main", "default": true}, {"id": "other"}]}}
                """);
        gateway = Gateways.start(new GatewayConfig("127.0.0.1", 0, TestGateway.TOKEN, new StateDir(state)),
                Gateway.Options.defaults().observer(new SandboxObserver() {
                    @Override
                    public void started(String containerId, SandboxCall call) {
                        containers.incrementAndGet();
                    }
                }).approvalTimeout(approvalTimeout));
        assertThat(gateway.catalog().find("gatekeep")).as("refused: %s", gateway.catalog().refused()).isPresent();
        return gateway;
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void anApprovalNobodyAnswersTimesOutTheSameThroughBothDoors() throws Exception {
        start(Duration.ofSeconds(1));
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode res = c.request("tools.invoke", sendTo("main", "bob"));
            assertThat(res.path("ok").asBoolean()).as(res.toString()).isFalse();
            assertThat(res.at("/error/code").asText()).isEqualTo("FORBIDDEN");
            assertThat(res.at("/error/details/code").asText()).isEqualTo("APPROVAL_TIMEOUT");
            assertThat(res.at("/error/details/afterMs").asLong()).isEqualTo(1000);
            assertThat(c.drainEvents()).as("the wait was announced like any other")
                    .anyMatch(e -> "approval.requested".equals(e.path("event").asText()));

            String runId = c.request("chat.send", p().put("sessionKey", "agent:main:t").put("message", "/gatekeep send to=eve")
                    .put("idempotencyKey", UUID.randomUUID().toString())).at("/payload/runId").asText();
            List<JsonNode> events = c.eventsUntil(e -> "chat".equals(e.path("event").asText())
                    && runId.equals(e.at("/payload/runId").asText()) && "final".equals(e.at("/payload/state").asText()), WAIT);
            JsonNode end = events.stream().filter(e -> "tool".equals(e.at("/payload/stream").asText())
                    && "end".equals(e.at("/payload/data/phase").asText())).findFirst().orElseThrow().at("/payload/data");
            assertThat(end.path("status").asText()).isEqualTo("timeout");
            assertThat(end.path("result").asText()).contains("no operator approved gatekeep.send");
        }
        assertThat(containers).hasValue(0);
        assertThat(Files.readAllLines(state.resolve("logs/audit.jsonl"))).filteredOn(l -> l.contains("\"timed_out\""))
                .hasSize(2);
    }

    @Test
    void aConnectionThatGoesAwayWithdrawsItsWaitingCallAndNothingRuns() throws Exception {
        start(Duration.ofMinutes(5));
        try (ProtocolClient operator = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            ProtocolClient caller = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN);
            CompletableFuture<JsonNode> waiting = caller.requestAsync("tools.invoke", sendTo("main", "bob"));
            JsonNode req = operator.eventsUntil(e -> "approval.requested".equals(e.path("event").asText()), WAIT)
                    .getLast().path("payload");
            String id = req.path("id").asText();
            assertThat(req.path("sessionKey").asText()).isEqualTo("agent:main:main");
            caller.closeGracefully();

            JsonNode resolved = operator.eventsUntil(e -> "approval.resolved".equals(e.path("event").asText())
                    && id.equals(e.at("/payload/request/id").asText()), WAIT).getLast().path("payload");
            assertThat(resolved.path("decision").asText()).isEqualTo("denied");
            assertThat(resolved.path("description").asText()).contains("aborted").doesNotContain("operator refused");
            assertThat(waiting.isDone() && !waiting.isCompletedExceptionally() && waiting.join().path("ok").asBoolean())
                    .as("the abandoned call never succeeded").isFalse();
            JsonNode late = operator.request("approvals.resolve", p().put("id", id).put("decision", "approve"));
            assertThat(late.path("ok").asBoolean()).as("too late to approve: %s", late).isFalse();
            assertThat(operator.request("approvals.list").at("/payload/pending")).isEmpty();
        }
        assertThat(containers).hasValue(0);
    }

    @Test
    void theAgentIsResolvedAsForAChatRunAndBadCallsAreRefusedBeforeAnyoneIsAsked() throws Exception {
        start(Duration.ofMinutes(5));
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode unknown = c.request("tools.invoke", sendTo("ghost", "bob"));
            assertThat(unknown.at("/error/code").asText()).as(unknown.toString()).isEqualTo("NOT_FOUND");
            assertThat(unknown.at("/error/details/code").asText()).isEqualTo("UNKNOWN_AGENT");
            JsonNode unknownBySession = c.request("tools.invoke", sendTo(null, "bob").put("sessionKey", "agent:ghost:main"));
            assertThat(unknownBySession.at("/error/details/code").asText()).isEqualTo("UNKNOWN_AGENT");

            JsonNode mismatch = c.request("tools.invoke", sendTo("main", "bob").put("sessionKey", "agent:other:main"));
            assertThat(mismatch.at("/error/code").asText()).as(mismatch.toString()).isEqualTo("INVALID_REQUEST");
            assertThat(mismatch.at("/error/message").asText()).contains("belongs to agent 'other'");

            ObjectNode badArgs = sendTo("main", "bob");
            ((ObjectNode) badArgs.get("args")).put("cc", "eve");
            JsonNode invalid = c.request("tools.invoke", badArgs);
            assertThat(invalid.at("/error/details/code").asText()).as(invalid.toString()).isEqualTo("INVALID_ARGS");
            JsonNode noTool = c.request("tools.invoke", sendTo("main", "bob").put("tool", "sendall"));
            assertThat(noTool.at("/error/details/code").asText()).isEqualTo("UNKNOWN_TOOL");

            assertThat(c.drainEvents()).as("no operator was asked about calls that cannot run")
                    .noneMatch(e -> "approval.requested".equals(e.path("event").asText()));
            assertThat(c.request("approvals.list").at("/payload/pending")).isEmpty();
        }
        assertThat(containers).hasValue(0);
    }

    private static ObjectNode sendTo(String agentId, String to) {
        ObjectNode p = p().put("skill", "gatekeep").put("tool", "send");
        if (agentId != null) {
            p.put("agentId", agentId);
        }
        p.putObject("args").put("to", to);
        return p;
    }

    private static ObjectNode p() {
        return JSON.createObjectNode();
    }
}
