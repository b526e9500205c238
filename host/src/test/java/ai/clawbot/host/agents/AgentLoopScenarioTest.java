package ai.clawbot.host.agents;

import static ai.clawbot.host.agents.LoopRig.JSON;
import static ai.clawbot.host.agents.LoopRig.agent;
import static ai.clawbot.host.agents.LoopRig.offered;
import static ai.clawbot.host.agents.LoopRig.results;
import static ai.clawbot.host.testkit.ScriptedChatModel.call;
import static ai.clawbot.host.testkit.ScriptedChatModel.text;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.policy.ApprovalDecision;
import ai.clawbot.host.policy.ApprovalRequest;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sessions.TranscriptEntry;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.host.testkit.ScriptedChatModel;
import ai.clawbot.host.testkit.ScriptedChatModel.Call;
import ai.clawbot.host.testkit.ScriptedChatModel.Computed;
import ai.clawbot.host.testkit.ScriptedChatModel.Slow;
import ai.clawbot.host.testkit.ScriptedChatModel.Tools;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.plugin.manifest.Effect;
import ai.clawbot.plugin.manifest.WorkspaceAccess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-step runs of the real agent loop driven by a scripted model, through the real policy chain, approval
 * queue, audit and skill router, with a fake sandbox that records what reached it. No Docker.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AgentLoopScenarioTest {

    private static Path skillState;
    private static SkillCatalog catalog;

    @TempDir
    Path state;
    LoopRig rig;

    @BeforeAll
    static void loadSkills() throws Exception {
        skillState = Files.createTempDirectory("agent-loop-skills");
        catalog = DemoSkills.catalog(skillState);
    }

    @AfterAll
    static void unload() throws Exception {
        if (catalog != null) {
            catalog.close();
        }
        TestGateway.deleteTree(skillState);
    }

    @BeforeEach
    void rig() throws Exception {
        rig = new LoopRig(state, catalog);
    }

    @AfterEach
    void close() {
        rig.close();
    }

    private static final AgentDefinition OPEN = agent("{\"id\":\"open\"}");

    // (a)
    @Test
    void twoToolCallsInOneStepThenAThirdThenAnAnswer() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(
                new Tools(List.of(new Call("demo__lookup", "{\"query\":\"q1\"}"),
                        new Call("demo__write", "{\"path\":\"a.md\",\"content\":\"hi\"}"))),
                call("demo__lookup", "{\"query\":\"q2\"}"),
                text("Both done."));

        AgentEngine.Reply reply = rig.run(model, OPEN, "do two things");

        assertThat(reply.stopReason()).isEqualTo("stop");
        assertThat(reply.text()).isEqualTo("Both done.");
        assertThat(rig.out.text()).isEqualTo("Both done.");
        assertThat(rig.sandbox.tools()).containsExactly("demo.lookup", "demo.write", "demo.lookup");
        assertThat(rig.sandbox.calls.get(0).args().path("query").asText()).isEqualTo("q1");
        assertThat(rig.sandbox.calls.get(0).agentId()).isEqualTo("open");
        assertThat(rig.sandbox.calls.get(0).scope()).isEqualTo("agent:open:main");

        List<ChatRequest> reqs = model.requests();
        assertThat(reqs).hasSize(3);
        assertThat(offered(reqs.get(0))).contains("demo__lookup", "demo__write", "demo__send", "demo__reveal",
                "notes__read");
        // The second request answers both calls of the first step, by id and with the sandbox's own text.
        AiMessage step1 = (AiMessage) reqs.get(1).messages().get(reqs.get(1).messages().size() - 3);
        List<ToolExecutionResultMessage> r1 = results(reqs.get(1));
        assertThat(r1).hasSize(2);
        assertThat(r1).extracting(ToolExecutionResultMessage::id)
                .containsExactlyElementsOf(step1.toolExecutionRequests().stream().map(ToolExecutionRequest::id).toList());
        assertThat(r1).extracting(ToolExecutionResultMessage::toolName).containsExactly("demo__lookup", "demo__write");
        assertThat(r1.get(0).text()).isEqualTo(RecordingSandbox.resultText(rig.sandbox.calls.get(0), 1));
        assertThat(r1.get(1).text()).isEqualTo(RecordingSandbox.resultText(rig.sandbox.calls.get(1), 2));
        assertThat(results(reqs.get(2))).hasSize(3);
        assertThat(results(reqs.get(2)).get(2).text()).startsWith("ran demo.lookup #3");

        // Tool events: start/end pairs in call order, each end with its status.
        List<String> phases = rig.out.toolEvents.stream()
                .map(e -> e.path("phase").asText() + ":" + e.path("name").asText()).toList();
        assertThat(phases).containsExactly("start:demo__lookup", "end:demo__lookup", "start:demo__write",
                "end:demo__write", "start:demo__lookup", "end:demo__lookup");
        for (int i = 0; i < 6; i += 2) {
            ObjectNode start = rig.out.toolEvents.get(i);
            ObjectNode end = rig.out.toolEvents.get(i + 1);
            assertThat(end.path("toolCallId").asText()).isEqualTo(start.path("toolCallId").asText()).isNotBlank();
            assertThat(end.path("status").asText()).isEqualTo("ok");
            assertThat(end.path("isError").asBoolean()).isFalse();
            assertThat(start.path("skill").asText()).isEqualTo("demo");
            assertThat(start.path("args").isObject()).isTrue();
        }

        // Transcript: assistant tool-call entry, then one toolResult per call, per step.
        List<TranscriptEntry> rec = rig.out.records;
        assertThat(rec).extracting(TranscriptEntry::role)
                .containsExactly("assistant", "toolResult", "toolResult", "assistant", "toolResult");
        JsonNode calls = rec.get(0).payload().path("content");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).path("type").asText()).isEqualTo("toolCall");
        assertThat(calls.get(0).path("name").asText()).isEqualTo("demo.lookup");
        assertThat(calls.get(1).path("name").asText()).isEqualTo("demo.write");
        assertThat(calls.get(1).path("arguments").path("path").asText()).isEqualTo("a.md");
        assertThat(rec.get(0).payload().path("stopReason").asText()).isEqualTo("toolUse");
        assertThat(rec.get(1).payload().path("toolCallId").asText()).isEqualTo(calls.get(0).path("id").asText());
        assertThat(rec.get(2).payload().path("toolCallId").asText()).isEqualTo(calls.get(1).path("id").asText());
        assertThat(rec.get(2).payload().path("toolName").asText()).isEqualTo("demo.write");
        assertThat(rec.get(2).payload().path("status").asText()).isEqualTo("ok");
        assertThat(HistoryWindow.text(rec.get(2))).isEqualTo(r1.get(1).text());
        // Read and write effects need no operator.
        assertThat(rig.approvals.recent(10)).isEmpty();
    }

    // (b) as configured: the denied tool is not offered, and asking for it anyway is refused and audited.
    @Test
    void aToolTheAgentDeniesIsNotOfferedAndAskingForItIsRefusedAndAudited() throws Exception {
        AgentDefinition agent = agent("{\"id\":\"nowrite\",\"tools\":{\"deny\":[\"demo.write\"]}}");
        ScriptedChatModel model = ScriptedChatModel.of(call("demo__write", "{\"path\":\"a.md\",\"content\":\"x\"}"),
                text("ok"));

        AgentEngine.Reply reply = rig.run(model, agent, "write it");

        assertThat(reply.stopReason()).isEqualTo("stop");
        assertThat(offered(model.requests().get(0))).contains("demo__lookup").doesNotContain("demo__write");
        assertThat(rig.sandbox.calls).isEmpty();
        ObjectNode end = rig.out.events("end").get(0);
        assertThat(end.path("status").asText()).isEqualTo("refused");
        assertThat(end.path("isError").asBoolean()).isTrue();
        // DESIGN §4 step 3: a refused call gets an error result AND an audit line, whatever the model asked.
        assertThat(rig.auditLines()).as("audit line for the refused demo.write")
                .anySatisfy(l -> {
                    assertThat(l.path("agentId").asText()).isEqualTo("nowrite");
                    assertThat(l.path("skill").asText()).isEqualTo("demo");
                    assertThat(l.path("tool").asText()).isEqualTo("write");
                    assertThat(l.path("decision").asText()).isEqualTo("denied");
                });
    }

    // (b) a deny that arrives after the tools were offered (a config patch mid-run) still refuses the call.
    @Test
    void aDenyAddedAfterTheToolsWereOfferedRefusesTheCallAtCallTime() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(new Computed(req -> {
            rig.global.set(json("{\"tools\":{\"deny\":[\"demo.write\"]}}"));
            return call("demo__write", "{\"path\":\"a.md\",\"content\":\"x\"}");
        }), text("understood"));

        AgentEngine.Reply reply = rig.run(model, OPEN, "write it");

        assertThat(offered(model.requests().get(0))).contains("demo__write");
        assertThat(reply.stopReason()).isEqualTo("stop");
        assertThat(rig.sandbox.calls).as("no container for a refused call").isEmpty();
        ToolExecutionResultMessage r = results(model.requests().get(1)).get(0);
        assertThat(r.text()).startsWith("policy refused demo.write").contains("global policy denies tool demo.write");
        assertThat(rig.out.events("end").get(0).path("status").asText()).isEqualTo("refused");
        assertThat(rig.out.toolResults().get(0).payload().path("status").asText()).isEqualTo("refused");
        List<JsonNode> audit = rig.auditLines();
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).path("decision").asText()).isEqualTo("denied");
        assertThat(audit.get(0).path("layer").asText()).isEqualTo("global");
        assertThat(audit.get(0).path("rule").asText()).isEqualTo("tools.deny: demo.write");
        assertThat(audit.get(0).path("door").asText()).isEqualTo("agent");
        assertThat(audit.get(0).path("tool").asText()).isEqualTo("write");
        assertThat(audit.get(0).path("agentId").asText()).isEqualTo("open");
        assertThat(audit.get(0).path("args").asText()).contains("a.md");
    }

    // (c) external and secret effects wait for an operator; approved, they run.
    @Test
    void approvedCallsRun() throws Exception {
        List<ApprovalRequest> asked = rig.operator("approve");
        ScriptedChatModel model = ScriptedChatModel.of(new Tools(List.of(new Call("demo__send", "{\"to\":\"bob\"}"),
                new Call("demo__reveal", "{}"))), text("sent"));

        AgentEngine.Reply reply = rig.run(model, OPEN, "send it");

        assertThat(reply.stopReason()).isEqualTo("stop");
        assertThat(asked).extracting(ApprovalRequest::tool).containsExactly("send", "reveal");
        assertThat(asked).extracting(ApprovalRequest::effect).containsExactly(Effect.EXTERNAL, Effect.SECRET);
        assertThat(asked.get(0).args().path("to").asText()).isEqualTo("bob");
        assertThat(asked.get(0).agentId()).isEqualTo("open");
        assertThat(asked.get(0).sessionKey()).isEqualTo("agent:open:main");
        assertThat(asked.get(0).permissions()).contains("workspace=rw").contains(DemoSkills.SECRET);
        assertThat(rig.sandbox.tools()).containsExactly("demo.send", "demo.reveal");
        assertThat(rig.out.events("end")).extracting(e -> e.path("status").asText()).containsExactly("ok", "ok");
        assertThat(rig.approvals.recent(10)).allSatisfy(r -> assertThat(r.decision()).isEqualTo(
                new ApprovalDecision.Approved("tester")));
        // Each approval, then the gate's line for the dispatched call (door, narrowed permissions).
        assertThat(rig.auditLines()).extracting(l -> l.path("decision").asText())
                .containsExactly("approved", "ran", "approved", "ran");
        assertThat(rig.auditLines()).filteredOn(l -> l.path("decision").asText().equals("ran")).allSatisfy(l -> {
            assertThat(l.path("door").asText()).isEqualTo("agent");
            assertThat(l.path("layer").asText()).isEqualTo("sandbox");
            assertThat(l.path("reason").asText()).startsWith("ok in ").contains("workspace=rw");
        });
    }

    // (c) an agent's autoApprove covers the call; it never widens policy.
    @Test
    void preApprovalRunsWithoutAnOperatorButNeverOverridesADeny() throws Exception {
        AgentDefinition agent = agent("{\"id\":\"auto\",\"approvals\":{\"autoApprove\":[\"demo.*\"]}}");
        List<ApprovalRequest> asked = rig.operator(null);
        ScriptedChatModel model = ScriptedChatModel.of(call("demo__send", "{\"to\":\"bob\"}"), new Computed(req -> {
            rig.global.set(json("{\"tools\":{\"deny\":[\"demo.send\"]}}"));
            return call("demo__send", "{\"to\":\"eve\"}");
        }), text("done"));

        rig.run(model, agent, "send twice");

        assertThat(asked).as("pre-approved: no operator is asked").isEmpty();
        assertThat(rig.sandbox.calls).hasSize(1);
        assertThat(rig.sandbox.calls.get(0).args().path("to").asText()).isEqualTo("bob");
        assertThat(rig.out.events("end")).extracting(e -> e.path("status").asText()).containsExactly("ok", "refused");
        assertThat(rig.approvals.recent(10)).singleElement().satisfies(r -> assertThat(r.decision())
                .isEqualTo(new ApprovalDecision.Approved(ApprovalDecision.Approved.PRE_APPROVED)));
    }

    // (d)
    @Test
    void aDeniedCallDoesNotRunAndTheModelIsToldSo() throws Exception {
        rig.operator("deny");
        ScriptedChatModel model = ScriptedChatModel.of(call("demo__send", "{\"to\":\"bob\"}"), text("ok, not sent"));

        AgentEngine.Reply reply = rig.run(model, OPEN, "send it");

        assertThat(reply.text()).isEqualTo("ok, not sent");
        assertThat(rig.sandbox.calls).isEmpty();
        ToolExecutionResultMessage r = results(model.requests().get(1)).get(0);
        assertThat(r.text()).contains("denied").contains("demo.send");
        assertThat(rig.out.events("end").get(0).path("status").asText()).isEqualTo("denied");
        assertThat(rig.auditLines()).singleElement().satisfies(l -> {
            assertThat(l.path("decision").asText()).isEqualTo("denied");
            assertThat(l.path("layer").asText()).isEqualTo("approval");
        });
    }

    // (e)
    @Test
    void anUnansweredApprovalTimesOutAsADenial() throws Exception {
        List<ApprovalRequest> asked = rig.operator(null);
        ScriptedChatModel model = ScriptedChatModel.of(call("demo__send", "{\"to\":\"bob\"}"), text("gave up"));
        long t0 = System.nanoTime();

        AgentEngine.Reply reply = rig.run(model, OPEN, List.of(), "send it", AgentLoop.Limits.defaults(),
                Duration.ofMillis(300));

        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isBetween(250L, 5_000L);
        assertThat(asked).hasSize(1);
        assertThat(reply.stopReason()).isEqualTo("stop");
        assertThat(rig.sandbox.calls).isEmpty();
        assertThat(results(model.requests().get(1)).get(0).text()).contains("demo.send").contains("denied");
        assertThat(rig.out.events("end").get(0).path("status").asText()).isEqualTo("timeout");
        assertThat(rig.approvals.pending()).isEmpty();
        assertThat(rig.approvals.recent(1).get(0).decision()).isInstanceOf(ApprovalDecision.TimedOut.class);
        assertThat(rig.auditLines()).extracting(l -> l.path("decision").asText()).containsExactly("timed_out");
    }

    // (f) abort while the model streams
    @Test
    void abortWhileTheModelStreamsEndsTheRunPromptly() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(new Slow("tok", 40, 50), call("demo__lookup", "{\"query\":\"x\"}"));
        rig.out.onDelta = d -> rig.out.aborted.set(true);
        long t0 = System.nanoTime();

        AgentEngine.Reply reply = rig.run(model, OPEN, "talk slowly");

        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms, of a 2 s stream").isLessThan(1_500);
        assertThat(reply.stopReason()).isEqualTo("aborted");
        assertThat(reply.text()).startsWith("tok");
        assertThat(model.requests()).hasSize(1);
        assertThat(rig.sandbox.calls).isEmpty();
        assertThat(rig.out.toolEvents).isEmpty();
    }

    // (f) abort while a tool waits for its approval
    @Test
    void abortWhileAToolWaitsForApprovalDeniesTheApprovalAndEndsTheRun() throws Exception {
        List<ApprovalRequest> asked = abortOnApprovalRequest();
        ScriptedChatModel model = ScriptedChatModel.of(new Tools(List.of(new Call("demo__send", "{\"to\":\"bob\"}"),
                new Call("demo__lookup", "{\"query\":\"after\"}"))), text("must not be asked"));

        AgentEngine.Reply reply = rig.run(model, OPEN, "send it");

        assertThat(reply.stopReason()).isEqualTo("aborted");
        assertThat(model.requests()).hasSize(1);
        assertThat(rig.sandbox.calls).isEmpty();
        assertThat(asked).hasSize(1);
        assertThat(rig.approvals.pending()).isEmpty();
        assertThat(rig.approvals.recent(1)).singleElement().satisfies(r -> {
            assertThat(r.request().id()).isEqualTo(asked.get(0).id());
            assertThat(r.decision()).isInstanceOf(ApprovalDecision.Denied.class);
        });
        // The call after the aborted one does not run either.
        assertThat(rig.out.events("end")).extracting(e -> e.path("status").asText()).containsExactly("aborted", "aborted");
    }

    // (f) the audit trail and the approval.resolved event must say what happened: the run stopped, no operator acted.
    @Test
    void anApprovalEndedByAnAbortIsNotRecordedAsAnOperatorsRefusal() throws Exception {
        abortOnApprovalRequest();
        rig.run(ScriptedChatModel.of(call("demo__send", "{\"to\":\"bob\"}")), OPEN, "send it");

        assertThat(rig.auditLines()).singleElement().satisfies(l -> {
            assertThat(l.path("decision").asText()).isEqualTo("denied");
            assertThat(l.path("reason").asText()).contains("abort").doesNotContain("operator refused");
        });
    }

    private List<ApprovalRequest> abortOnApprovalRequest() {
        List<ApprovalRequest> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        rig.approvals.addListener(new ai.clawbot.host.policy.ApprovalListener() {
            @Override
            public void requested(ApprovalRequest request) {
                asked.add(request);
                rig.out.aborted.set(true);
            }
        });
        return asked;
    }

    // (g)
    @Test
    void theIterationCapStopsAModelThatNeverStopsCallingTools() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of();
        for (int i = 0; i < 10; i++) {
            model.then(call("demo__lookup", "{\"query\":\"again " + i + "\"}"));
        }

        AgentEngine.Reply reply = rig.run(model, OPEN, List.of(), "loop", AgentLoop.Limits.defaults().withMaxIterations(3),
                Duration.ofSeconds(5));

        assertThat(reply.stopReason()).isEqualTo("max_iterations");
        assertThat(model.requests()).hasSize(3);
        assertThat(rig.sandbox.calls).hasSize(3);
        assertThat(reply.text()).contains("limit of 3 model calls");
    }

    // (h)
    @Test
    void aToolThatWasNotOfferedIsRefusedWhateverTheModelCallsIt() throws Exception {
        AgentDefinition agent = agent("{\"id\":\"scoped\",\"skills\":[\"demo\"]}");
        List<String> names = List.of("notes__read", "himalaya__send", "notes.read", "Demo__lookup", "demo__lookup ",
                "demo__../notes__read", "read");
        ScriptedChatModel model = ScriptedChatModel.of(new Tools(names.stream()
                .map(n -> new Call(n, "{\"path\":\"a.md\",\"query\":\"x\"}")).toList()), text("fine"));

        rig.run(model, agent, "read my notes");

        List<String> offered = offered(model.requests().get(0));
        assertThat(offered).contains("demo__lookup").noneMatch(n -> n.startsWith("notes") || n.startsWith("himalaya"));
        assertThat(rig.sandbox.calls).isEmpty();
        assertThat(rig.out.events("end")).hasSize(names.size())
                .allSatisfy(e -> assertThat(e.path("status").asText()).isEqualTo("refused"));
        assertThat(results(model.requests().get(1))).hasSize(names.size())
                .allSatisfy(r -> assertThat(r.text()).contains("policy refused"));
    }

    // (i)
    @Test
    void argumentsThatAreNotAnObjectOrBreakTheSchemaAreRefusedBeforeTheSandbox() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(new Tools(List.of(new Call("demo__lookup", "[\"q\"]"),
                new Call("demo__lookup", "\"q\""), new Call("demo__lookup", "not json"), new Call("demo__lookup", "42"),
                new Call("demo__lookup", "{\"query\":5}"), new Call("demo__lookup", "{\"query\":\"x\",\"extra\":1}"))),
                text("sorry"));

        rig.run(model, OPEN, "look");

        assertThat(rig.sandbox.calls).isEmpty();
        List<ToolExecutionResultMessage> r = results(model.requests().get(1));
        for (int i = 0; i < 4; i++) {
            assertThat(r.get(i).text()).contains("demo__lookup must be a JSON object");
            assertThat(rig.out.events("end").get(i).path("status").asText()).isEqualTo("refused");
        }
        assertThat(rig.out.events("start").get(2).path("args").asText()).isEqualTo("not json");
        for (int i = 4; i < 6; i++) {
            assertThat(r.get(i).text()).contains("do not match the input schema of demo.lookup");
            assertThat(rig.out.events("end").get(i).path("status").asText()).isEqualTo("error");
        }
    }

    // (k)
    @Test
    void theSandboxGetsTheManifestNarrowedByPolicy() throws Exception {
        AgentDefinition agent = agent("{\"id\":\"narrow\",\"permissions\":{\"workspace\":\"ro\",\"network\":{\"allow\":[\""
                + DemoSkills.HOST_B + "\"]}}}");
        ScriptedChatModel model = ScriptedChatModel.of(call("demo__lookup", "{\"query\":\"x\"}"),
                call("demo__write", "{\"path\":\"a.md\",\"content\":\"x\"}"), text("done"));

        rig.run(model, agent, "look and write");

        assertThat(offered(model.requests().get(0))).contains("demo__lookup")
                .doesNotContain("demo__write", "demo__send", "demo__reveal");
        SandboxCall c = rig.sandbox.calls.get(0);
        assertThat(c.skill().manifest().network().allow()).containsExactly(DemoSkills.HOST_B);
        assertThat(c.skill().manifest().permissions().workspace()).isEqualTo(WorkspaceAccess.RO);
        assertThat(c.skill().manifest().permissions().resources().memory()).isEqualTo("128m");
        assertThat(catalog.find("demo").orElseThrow().manifest().network().allow())
                .as("the catalog's manifest is untouched").containsExactly(DemoSkills.HOST_A, DemoSkills.HOST_B);
        assertThat(rig.sandbox.calls).hasSize(1);
        assertThat(rig.out.events("end").get(1).path("status").asText()).isEqualTo("refused");
    }

    // (k) a write tool is refused, not downgraded to a read-only mount, when a ceiling arrives after the offer.
    @Test
    void aWriteToolUnderAReadOnlyCeilingIsRefusedNotDowngraded() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(new Computed(req -> {
            rig.global.set(json("{\"permissions\":{\"workspace\":\"ro\"}}"));
            return call("demo__write", "{\"path\":\"a.md\",\"content\":\"x\"}");
        }), text("done"));

        rig.run(model, OPEN, "write");

        assertThat(rig.sandbox.calls).isEmpty();
        assertThat(results(model.requests().get(1)).get(0).text()).startsWith("policy refused demo.write")
                .contains("needs workspace rw").contains("at most ro");
        assertThat(rig.auditLines()).singleElement().satisfies(l -> assertThat(l.path("layer").asText()).isEqualTo("global"));
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
