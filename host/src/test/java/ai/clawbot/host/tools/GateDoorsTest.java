package ai.clawbot.host.tools;

import ai.clawbot.host.wiring.Gateways;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One gate, two doors: the same call through {@code chat.send} (the offline model runs {@code /skill tool ...} as a
 * tool call) and through {@code tools.invoke} meets the same agent policy, session policy, narrowed permissions and
 * approvals, against a real gateway over WebSocket and real sandbox containers. Includes the reported attack: an
 * agent whose policy denies {@code workspace.exec} could run it through {@code tools.invoke}.
 */
@ExtendWith(DockerRequired.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class GateDoorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** The reported configuration: workspace.exec denied globally and by agent ro, which also denies gatekeep.touch. */
    private static final String CONFIG = """
            {"gateway": {"tickIntervalMs": 1000},
             "agents": {
              "defaults": {"tools": {"deny": ["workspace.exec"]}},
              "list": [
                {"id": "main", "default": true},
                {"id": "ro", "tools": {"deny": ["workspace.exec", "gatekeep.touch"]}},
                {"id": "narrow", "permissions": {"workspace": "ro"}}
              ]}}
            """;

    private static final Queue<SandboxCall> STARTED = new ConcurrentLinkedQueue<>();
    private static Path state;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        state = Files.createTempDirectory("gate-doors");
        GateSkill.install(state);
        Files.writeString(state.resolve("openclaw.json"), CONFIG);
        gateway = Gateways.start(new ai.clawbot.host.gateway.GatewayConfig("127.0.0.1", 0, TestGateway.TOKEN,
                        new ai.clawbot.host.config.StateDir(state)),
                Gateway.Options.defaults().observer(new SandboxObserver() {
                    @Override
                    public void started(String containerId, SandboxCall call) {
                        STARTED.add(call);
                    }
                }).approvalTimeout(WAIT));
        assertThat(gateway.catalog().find("gatekeep")).as("refused: %s", gateway.catalog().refused()).isPresent();
        // The sandbox user must be able to write where it is allowed to (the gateway may run as root).
        Files.setPosixFilePermissions(state.resolve("workspace"), PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        TestGateway.deleteTree(state);
    }

    // (1) agent policy, and the reported attack
    @Test
    void anAgentPolicyDenialIsTheSameThroughBothDoors() throws Exception {
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            ObjectNode attack = p().put("agentId", "ro").put("skill", "workspace").put("tool", "exec");
            attack.putObject("args").putArray("command").add("id");
            JsonNode refused = error(c.request("tools.invoke", attack), "FORBIDDEN");
            assertThat(refused.at("/details/code").asText()).isEqualTo("POLICY_DENIED");
            assertThat(refused.at("/details/layer").asText()).isEqualTo("global");
            assertThat(refused.at("/details/rule").asText()).isEqualTo("tools.deny: workspace.exec");
            assertThat(refused.at("/details/skill").asText()).isEqualTo("workspace");
            assertThat(refused.at("/details/tool").asText()).isEqualTo("exec");

            JsonNode viaChat = toolEnd(chat(c, "agent:ro:attack", "/workspace exec {\"command\":[\"id\"]}"));
            assertThat(viaChat.path("status").asText()).isEqualTo("refused");
            assertThat(viaChat.path("result").asText()).contains("policy refused workspace.exec")
                    .contains("global policy denies tool workspace.exec");

            // The agent's own layer: gatekeep.touch is allowed globally, denied by agent ro.
            JsonNode agentLayer = error(c.request("tools.invoke", touch("ro", null, "ro-invoke")), "FORBIDDEN");
            assertThat(agentLayer.at("/details/layer").asText()).isEqualTo("agent:ro");
            assertThat(agentLayer.at("/details/rule").asText()).isEqualTo("tools.deny: gatekeep.touch");
            JsonNode agentViaChat = toolEnd(chat(c, "agent:ro:main", "/gatekeep touch name=ro-chat"));
            assertThat(agentViaChat.path("status").asText()).isEqualTo("refused");
            assertThat(agentViaChat.path("result").asText()).contains("agent 'ro' denies tool gatekeep.touch");
        }
        assertThat(STARTED).as("a refused call starts no container").noneMatch(call -> call.agentId().equals("ro"));
        assertThat(Files.exists(state.resolve("workspace/ro-invoke.txt"))).isFalse();
        assertThat(Files.exists(state.resolve("workspace/ro-chat.txt"))).isFalse();
        List<JsonNode> audit = audit(l -> l.path("agentId").asText().equals("ro") && l.path("decision").asText().equals("denied"));
        assertThat(audit).extracting(l -> l.path("door").asText() + " " + l.path("tool").asText() + " " + l.path("layer").asText())
                .contains("tools.invoke exec global", "agent exec global", "tools.invoke touch agent:ro", "agent touch agent:ro");
    }

    // (2) session policy set by an admin with sessions.patch
    @Test
    void aSessionPolicyDenialIsTheSameThroughBothDoors() throws Exception {
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            ok(c.request("sessions.patch", p().put("sessionKey", "agent:main:locked")
                    .set("policy", JSON.readTree("{\"tools\":{\"deny\":[\"gatekeep.touch\"]}}"))));

            JsonNode viaInvoke = error(c.request("tools.invoke", touch(null, "agent:main:locked", "locked-invoke")), "FORBIDDEN");
            assertThat(viaInvoke.at("/details/code").asText()).isEqualTo("POLICY_DENIED");
            assertThat(viaInvoke.at("/details/layer").asText()).isEqualTo("session:agent:main:locked");
            assertThat(viaInvoke.at("/details/rule").asText()).isEqualTo("tools.deny: gatekeep.touch");
            // A bare key of the named agent is the same session, as for chat.send.
            JsonNode bare = error(c.request("tools.invoke", touch("main", "locked", "locked-bare")), "FORBIDDEN");
            assertThat(bare.at("/details/layer").asText()).isEqualTo("session:agent:main:locked");

            JsonNode viaChat = toolEnd(chat(c, "agent:main:locked", "/gatekeep touch name=locked-chat"));
            assertThat(viaChat.path("status").asText()).isEqualTo("refused");
            assertThat(viaChat.path("result").asText()).contains("session 'agent:main:locked' denies tool gatekeep.touch");

            // Another session of the same agent is not narrowed: the refusal above came from the session layer.
            JsonNode open = ok(c.request("tools.invoke", touch("main", "agent:main:open", "open-invoke")));
            assertThat(open.path("isError").asBoolean()).as(open.toString()).isFalse();
        }
        assertThat(STARTED).noneMatch(call -> call.scope().equals("agent:main:locked"));
        assertThat(Files.exists(state.resolve("workspace/locked-invoke.txt"))).isFalse();
        assertThat(Files.exists(state.resolve("workspace/locked-bare.txt"))).isFalse();
        assertThat(Files.exists(state.resolve("workspace/locked-chat.txt"))).isFalse();
        assertThat(Files.readString(state.resolve("workspace/open-invoke.txt"))).isEqualTo("written");
        assertThat(audit(l -> l.path("sessionKey").asText().equals("agent:main:locked")))
                .extracting(l -> l.path("door").asText() + " " + l.path("decision").asText())
                .contains("tools.invoke denied", "agent denied");
    }

    // (3) workspace rw -> ro by agent policy: the tool runs, but its write fails inside the sandbox
    @Test
    void aNarrowedPermissionIsTheSameThroughBothDoors() throws Exception {
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode narrowed = ok(c.request("tools.invoke", touch("narrow", null, "narrow-invoke")));
            assertThat(narrowed.path("isError").asBoolean()).as(narrowed.toString()).isTrue();
            assertThat(narrowed.path("text").asText()).contains("Read-only file system");
            assertThat(narrowed.at("/sandbox/permissions").asText()).contains("workspace=ro");

            JsonNode viaChat = toolEnd(chat(c, "agent:narrow:main", "/gatekeep touch name=narrow-chat"));
            assertThat(viaChat.path("status").asText()).as(viaChat.toString()).isEqualTo("error");
            assertThat(viaChat.path("result").asText()).contains("Read-only file system");

            // The same tool for an agent without the ceiling writes: the failure above is the narrowing.
            JsonNode wide = ok(c.request("tools.invoke", touch("main", null, "wide-invoke")));
            assertThat(wide.path("isError").asBoolean()).as(wide.toString()).isFalse();
            assertThat(wide.at("/sandbox/permissions").asText()).contains("workspace=rw");
            JsonNode wideChat = toolEnd(chat(c, "agent:main:wide", "/gatekeep touch name=wide-chat"));
            assertThat(wideChat.path("status").asText()).as(wideChat.toString()).isEqualTo("ok");
        }
        assertThat(Files.exists(state.resolve("workspace/narrow-invoke.txt"))).isFalse();
        assertThat(Files.exists(state.resolve("workspace/narrow-chat.txt"))).isFalse();
        assertThat(Files.readString(state.resolve("workspace/wide-invoke.txt"))).isEqualTo("written");
        assertThat(Files.readString(state.resolve("workspace/wide-chat.txt"))).isEqualTo("written");
        assertThat(audit(l -> l.path("agentId").asText().equals("narrow") && l.path("decision").asText().equals("ran")))
                .extracting(l -> l.path("door").asText()).containsExactlyInAnyOrder("tools.invoke", "agent")
                .hasSize(2);
        assertThat(audit(l -> l.path("agentId").asText().equals("narrow"))).allSatisfy(
                l -> assertThat(l.path("reason").asText()).contains("workspace=ro"));
    }

    // (4) an external effect waits for an operator: approved it runs, denied it does not
    @Test
    void anApprovalWaitIsTheSameThroughBothDoors() throws Exception {
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            // chat.send, approved then denied
            String approved = send(c, "agent:main:appr-1", "/gatekeep send to=bob");
            resolve(c, awaitApproval(c, "bob"), "approve");
            JsonNode ran = toolEnd(finish(c, approved));
            assertThat(ran.path("status").asText()).as(ran.toString()).isEqualTo("ok");
            assertThat(ran.path("result").asText()).contains("sent to bob");

            String denied = send(c, "agent:main:appr-2", "/gatekeep send to=eve");
            resolve(c, awaitApproval(c, "eve"), "deny");
            JsonNode refused = toolEnd(finish(c, denied));
            assertThat(refused.path("status").asText()).isEqualTo("denied");

            // tools.invoke, approved: the request waits, the connection's other requests and ticks do not.
            CompletableFuture<JsonNode> waiting = c.requestAsync("tools.invoke", sendTo("carol"));
            String id = awaitApproval(c, "carol");
            assertThat(waiting).isNotDone();
            assertThat(ok(c.request("health")).path("ok").asBoolean()).isTrue();
            c.eventsUntil(e -> "tick".equals(e.path("event").asText()), Duration.ofSeconds(30));
            assertThat(waiting).isNotDone();
            resolve(c, id, "approve");
            JsonNode invoked = ok(waiting.get(60, TimeUnit.SECONDS));
            assertThat(invoked.path("text").asText()).isEqualTo("sent to carol");

            // tools.invoke, denied
            CompletableFuture<JsonNode> refusedInvoke = c.requestAsync("tools.invoke", sendTo("mallory"));
            resolve(c, awaitApproval(c, "mallory"), "deny");
            JsonNode err = error(refusedInvoke.get(60, TimeUnit.SECONDS), "FORBIDDEN");
            assertThat(err.at("/details/code").asText()).isEqualTo("APPROVAL_DENIED");
            assertThat(err.at("/details/skill").asText() + "." + err.at("/details/tool").asText()).isEqualTo("gatekeep.send");
        }
        assertThat(audit(l -> l.path("tool").asText().equals("send") && l.path("decision").asText().equals("ran")))
                .extracting(l -> l.path("door").asText()).containsExactlyInAnyOrder("agent", "tools.invoke");
        assertThat(audit(l -> l.path("tool").asText().equals("send") && l.path("layer").asText().equals("approval")))
                .extracting(l -> l.path("decision").asText()).containsExactlyInAnyOrder("approved", "denied", "approved", "denied");
    }

    private static ObjectNode touch(String agentId, String sessionKey, String name) {
        ObjectNode p = p().put("skill", "gatekeep").put("tool", "touch");
        if (agentId != null) {
            p.put("agentId", agentId);
        }
        if (sessionKey != null) {
            p.put("sessionKey", sessionKey);
        }
        p.putObject("args").put("name", name);
        return p;
    }

    private static ObjectNode sendTo(String to) {
        ObjectNode p = p().put("agentId", "main").put("skill", "gatekeep").put("tool", "send");
        p.putObject("args").put("to", to);
        return p;
    }

    private static String send(ProtocolClient c, String session, String message) throws Exception {
        return ok(c.request("chat.send", p().put("sessionKey", session).put("message", message)
                .put("idempotencyKey", UUID.randomUUID().toString()))).path("runId").asText();
    }

    private static List<JsonNode> chat(ProtocolClient c, String session, String message) throws Exception {
        return finish(c, send(c, session, message));
    }

    /** The run's events up to its final chat event. */
    private static List<JsonNode> finish(ProtocolClient c, String runId) throws Exception {
        List<JsonNode> seen = c.eventsUntil(e -> "chat".equals(e.path("event").asText())
                && runId.equals(e.at("/payload/runId").asText()) && "final".equals(e.at("/payload/state").asText()), WAIT);
        return new ArrayList<>(seen.stream().filter(e -> runId.equals(e.at("/payload/runId").asText())).toList());
    }

    private static String awaitApproval(ProtocolClient c, String to) throws Exception {
        JsonNode req = c.eventsUntil(e -> "approval.requested".equals(e.path("event").asText())
                && to.equals(e.at("/payload/args/to").asText()), WAIT).getLast().path("payload");
        assertThat(req.path("agentId").asText()).isEqualTo("main");
        assertThat(req.path("skill").asText() + "." + req.path("tool").asText()).isEqualTo("gatekeep.send");
        assertThat(req.path("effect").asText()).isEqualTo("external");
        return req.path("id").asText();
    }

    private static void resolve(ProtocolClient c, String id, String decision) throws Exception {
        ok(c.request("approvals.resolve", p().put("id", id).put("decision", decision)));
    }

    private static JsonNode toolEnd(List<JsonNode> events) {
        return events.stream().filter(e -> "tool".equals(e.at("/payload/stream").asText())
                        && "end".equals(e.at("/payload/data/phase").asText())).map(e -> e.at("/payload/data"))
                .findFirst().orElseThrow(() -> new AssertionError("no tool end event in " + events));
    }

    private static List<JsonNode> audit(Predicate<JsonNode> which) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(state.resolve("logs/audit.jsonl"))) {
            JsonNode l = JSON.readTree(line);
            if (which.test(l)) {
                out.add(l);
            }
        }
        return out;
    }

    private static ObjectNode p() {
        return JSON.createObjectNode();
    }

    private static JsonNode ok(JsonNode res) {
        assertThat(res.path("ok").asBoolean()).as("expected ok: %s", res).isTrue();
        return res.path("payload");
    }

    private static JsonNode error(JsonNode res, String code) {
        assertThat(res.path("ok").asBoolean()).as("expected an error: %s", res).isFalse();
        assertThat(res.at("/error/code").asText()).as("code of %s", res).isEqualTo(code);
        return res.path("error");
    }
}
