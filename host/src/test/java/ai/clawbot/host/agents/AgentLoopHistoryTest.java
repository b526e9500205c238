package ai.clawbot.host.agents;

import static ai.clawbot.host.agents.LoopRig.JSON;
import static ai.clawbot.host.agents.LoopRig.agent;
import static ai.clawbot.host.testkit.ScriptedChatModel.text;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.sessions.TranscriptEntry;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.host.testkit.ScriptedChatModel;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * (j) History over its budget: the oldest exchanges are summarised by the model into a {@code compaction} entry,
 * and a tool call and its result are kept or dropped together, never split.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AgentLoopHistoryTest {

    private static Path skillState;
    private static SkillCatalog catalog;

    @TempDir
    Path state;
    LoopRig rig;

    /** Old exchanges, then a tool call with a large result, then recent ones: 7 units. */
    final TranscriptEntry u0 = message("user", "OLD-QUESTION " + "q".repeat(400));
    final TranscriptEntry a0 = message("assistant", "old answer " + "a".repeat(400));
    final TranscriptEntry u1 = message("user", "please look it up " + "u".repeat(200));
    final TranscriptEntry call = toolCall("c-old", "demo.lookup");
    final TranscriptEntry result = toolResult("c-old", "demo.lookup", "RESULT-OLD " + "r".repeat(600));
    final TranscriptEntry a1 = message("assistant", "found it");
    final TranscriptEntry u2 = message("user", "recent question");
    final TranscriptEntry a2 = message("assistant", "recent answer");
    final List<TranscriptEntry> history = List.of(u0, a0, u1, call, result, a1, u2, a2);

    @BeforeAll
    static void loadSkills() throws Exception {
        skillState = Files.createTempDirectory("agent-history-skills");
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

    @Test
    void withinBudgetNothingIsSummarised() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(text("answer"));
        run(model, 1_000_000);
        assertThat(model.requests()).hasSize(1);
        assertThat(rig.out.records).isEmpty();
        assertThat(toolPairs(model.requests().get(0))).containsExactly("c-old");
    }

    @Test
    void overBudgetTheToolCallAndItsResultAreKeptTogether() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(text("SUMMARY-1"), text("answer"));
        // Room for the tool unit and everything after it, not for u1.
        run(model, size(call, result, a1, u2, a2) + 20);

        ChatRequest summary = model.requests().get(0);
        assertThat(((SystemMessage) summary.messages().get(0)).text()).contains("Summarise");
        assertThat(userText(summary)).contains("OLD-QUESTION").contains("please look it up").doesNotContain("RESULT-OLD");
        ChatRequest main = model.requests().get(1);
        assertThat(toolPairs(main)).containsExactly("c-old");
        assertThat(systemTexts(main)).anyMatch(t -> t.contains("Summary of the earlier conversation: SUMMARY-1"));
        assertThat(userTexts(main)).noneMatch(t -> t.contains("OLD-QUESTION"));
        assertCompaction("SUMMARY-1", call.id());
    }

    @Test
    void overBudgetAToolResultIsNeverLeftWithoutItsCall() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(text("SUMMARY-2"), text("answer"));
        // Room for the call entry and what follows the tool unit, but not for the call's large result too.
        run(model, size(call, a1, u2, a2) + 50);

        assertThat(userText(model.requests().get(0))).contains("RESULT-OLD").contains("OLD-QUESTION");
        ChatRequest main = model.requests().get(1);
        assertThat(main.messages()).noneMatch(m -> m instanceof ToolExecutionResultMessage);
        assertThat(main.messages()).noneMatch(m -> m instanceof AiMessage ai && ai.hasToolExecutionRequests());
        assertThat(main.messages().stream().filter(AiMessage.class::isInstance).map(m -> ((AiMessage) m).text()))
                .containsExactly("found it", "recent answer");
        assertCompaction("SUMMARY-2", a1.id());
        assertThat(rig.out.text()).as("the summary is not streamed as the reply").isEqualTo("answer");
    }

    /**
     * A tool call recorded without its result (the gateway stopped while the call waited for approval or ran, or the
     * run failed in between) must not reach the model dangling: providers refuse an assistant tool call that is not
     * followed by its result, which would break every later message of the session.
     */
    @Test
    void aToolCallWhoseResultWasNeverRecordedIsNotSentDangling() throws Exception {
        ScriptedChatModel model = ScriptedChatModel.of(text("answer"));
        List<TranscriptEntry> interrupted = List.of(message("user", "send it"), toolCall("c-lost", "demo.send"),
                message("user", "hello again"));

        AgentEngine.Reply reply = rig.run(model, agent("{\"id\":\"hist\"}"), interrupted, "new question",
                AgentLoop.Limits.defaults(), Duration.ofSeconds(5));

        assertThat(reply.text()).isEqualTo("answer");
        toolPairs(model.requests().get(0));
    }

    private void run(ScriptedChatModel model, int budget) throws InterruptedException {
        AgentEngine.Reply reply = rig.run(model, agent("{\"id\":\"hist\"}"), history, "new question",
                AgentLoop.Limits.defaults().withHistoryBudgetChars(budget), Duration.ofSeconds(5));
        assertThat(reply.text()).isEqualTo("answer");
    }

    private void assertCompaction(String summary, String firstKept) {
        assertThat(rig.out.records).hasSize(1);
        TranscriptEntry c = rig.out.records.get(0);
        assertThat(c.type()).isEqualTo("compaction");
        assertThat(c.payload().path("summary").asText()).isEqualTo(summary);
        assertThat(c.payload().path("firstKeptEntryId").asText()).isEqualTo(firstKept);
        assertThat(c.payload().path("tokensBefore").asInt()).isPositive();
        assertThat(rig.out.events("compaction")).singleElement()
                .satisfies(e -> assertThat(e.path("summary").asText()).isEqualTo(summary));
    }

    /**
     * The ids of tool calls answered in the request; fails if a result has no earlier call with its id, or a call
     * has no result right after its assistant message (providers reject both).
     */
    private static List<String> toolPairs(ChatRequest r) {
        List<String> answered = new ArrayList<>();
        Set<String> open = new HashSet<>();
        for (ChatMessage m : r.messages()) {
            if (m instanceof AiMessage ai && ai.hasToolExecutionRequests()) {
                assertThat(open).as("calls left unanswered before %s", m).isEmpty();
                ai.toolExecutionRequests().forEach(t -> open.add(t.id()));
            } else if (m instanceof ToolExecutionResultMessage t) {
                assertThat(open).as("a result without its call: %s", t).contains(t.id());
                open.remove(t.id());
                answered.add(t.id());
            } else {
                assertThat(open).as("calls left unanswered before %s", m).isEmpty();
            }
        }
        return answered;
    }

    private static String userText(ChatRequest r) {
        return String.join("\n", userTexts(r));
    }

    private static List<String> userTexts(ChatRequest r) {
        return r.messages().stream().filter(UserMessage.class::isInstance).map(m -> ((UserMessage) m).singleText()).toList();
    }

    private static List<String> systemTexts(ChatRequest r) {
        return r.messages().stream().filter(SystemMessage.class::isInstance).map(m -> ((SystemMessage) m).text()).toList();
    }

    private static int size(TranscriptEntry... entries) {
        int n = 0;
        for (TranscriptEntry e : entries) {
            n += e.payload().toString().length();
        }
        return n;
    }

    private static TranscriptEntry message(String role, String text) {
        ObjectNode p = JSON.createObjectNode().put("role", role);
        p.putArray("content").addObject().put("type", "text").put("text", text);
        return TranscriptEntry.of("message", p);
    }

    private static TranscriptEntry toolCall(String id, String name) {
        ObjectNode p = JSON.createObjectNode().put("role", "assistant");
        ObjectNode c = p.putArray("content").addObject().put("type", "toolCall").put("id", id).put("name", name);
        c.putObject("arguments").put("query", "old");
        p.put("stopReason", "toolUse");
        return TranscriptEntry.of("message", p);
    }

    private static TranscriptEntry toolResult(String id, String name, String text) {
        ObjectNode p = JSON.createObjectNode().put("role", "toolResult").put("toolCallId", id).put("toolName", name)
                .put("status", "ok").put("isError", false);
        p.putArray("content").addObject().put("type", "text").put("text", text);
        return TranscriptEntry.of("message", p);
    }
}
