package ai.clawbot.host.agents;

import ai.clawbot.host.agents.ToolInvoker.CallContext;
import ai.clawbot.host.agents.ToolInvoker.ToolCall;
import ai.clawbot.host.agents.ToolInvoker.ToolResult;
import ai.clawbot.host.sessions.TranscriptEntry;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The planner loop: model → tool calls → each through the {@link ToolInvoker} (policy, approvals, sandbox) →
 * results → model, until the model answers without calling tools, the run is aborted, or the iteration cap is hit.
 * Tool calls and results are recorded in the transcript as they happen; when the history outgrows its budget, the
 * oldest part is summarised into a {@code compaction} entry.
 */
public final class AgentLoop implements AgentEngine {

    /** Bounds of one run. */
    public record Limits(int maxIterations, int historyBudgetChars, int toolResultChars, int eventResultChars) {
        public static Limits defaults() {
            return new Limits(8, 48_000, 8_000, 2_000);
        }

        public Limits withMaxIterations(int n) {
            return new Limits(Math.max(1, n), historyBudgetChars, toolResultChars, eventResultChars);
        }

        public Limits withHistoryBudgetChars(int n) {
            return new Limits(maxIterations, n, toolResultChars, eventResultChars);
        }
    }

    /** The agent could not run (every model failed); becomes a {@code chat} error event. */
    public static final class AgentFailure extends RuntimeException {
        public AgentFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Function<AgentDefinition, ModelCaller> models;
    private final java.util.function.BiFunction<AgentDefinition, String, OfferedTools> tools;
    private final ToolInvoker invoker;
    private final Limits limits;

    /**
     * @param tools the tools an agent may be offered in a session (every policy layer, the session's included)
     */
    public AgentLoop(Function<AgentDefinition, ModelCaller> models,
                     java.util.function.BiFunction<AgentDefinition, String, OfferedTools> tools,
                     ToolInvoker invoker, Limits limits) {
        this.models = models;
        this.tools = tools;
        this.invoker = invoker;
        this.limits = limits;
    }

    @Override
    public Reply run(Turn turn, RunStream out) throws InterruptedException {
        AgentDefinition agent = turn.agent();
        ModelCaller model = models.apply(agent);
        // Half the model's window for history, at ~4 characters per token; the rest is prompt, tools and reply.
        java.util.OptionalInt contextWindow = model.contextWindowTokens();
        int budget = contextWindow.isPresent() ? (int) Math.min(Integer.MAX_VALUE, contextWindow.getAsInt() * 2L) : limits.historyBudgetChars();
        HistoryWindow.Window window = HistoryWindow.build(turn.history(), budget);
        List<ChatMessage> history = window.messages();
        if (!window.dropped().isEmpty()) {
            history = compact(window, model, out);
        }
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(SystemPrompts.of(agent)));
        messages.addAll(history);
        messages.add(UserMessage.from(turn.message()));
        OfferedTools offered = tools.apply(agent, turn.sessionKey());
        StringBuilder all = new StringBuilder();
        CallContext ctx = new CallContext(agent, turn.sessionKey(), turn.runId(), out::aborted);
        // The reply stored at the end holds only the text after the last tool call: what the model said before a
        // call is already in that call's transcript entry, and storing it twice would replay it twice.
        int replyStart = 0;
        // Secrets revealed to the model in this run: whatever is stored after them (the model repeating one in a
        // later call's arguments or in its answer) keeps a marker instead.
        List<String> revealed = new ArrayList<>();
        for (int i = 0; i < limits.maxIterations(); i++) {
            if (out.aborted()) {
                return new Reply(Revealed.scrub(revealed, all.substring(replyStart)), "aborted");
            }
            ChatRequest.Builder req = ChatRequest.builder().messages(messages);
            if (!offered.isEmpty()) {
                req.toolSpecifications(offered.specifications());
            }
            int before = all.length();
            AiMessage ai;
            try {
                ai = model.chat(req.build(), delta -> {
                    all.append(delta);
                    out.assistantDelta(delta);
                }, out::aborted).aiMessage();
            } catch (ModelCaller.ModelCallException e) {
                throw new AgentFailure(e.getMessage(), e);
            }
            if (all.length() == before && ai.text() != null && !ai.text().isEmpty()) {
                all.append(ai.text()); // a model that did not stream: its text still reaches the client
                out.assistantDelta(ai.text());
            }
            messages.add(ai);
            if (!ai.hasToolExecutionRequests()) {
                return new Reply(Revealed.scrub(revealed, all.substring(replyStart)), out.aborted() ? "aborted" : "stop");
            }
            out.record(Revealed.scrub(revealed, assistantToolCalls(ai, offered, all.substring(before))));
            replyStart = all.length();
            for (ToolExecutionRequest r : ai.toolExecutionRequests()) {
                String result = runTool(r, offered, ctx, out, revealed);
                messages.add(ToolExecutionResultMessage.from(r, result));
            }
        }
        String note = "\n[stopped: reached the limit of " + limits.maxIterations() + " model calls in one run]";
        all.append(note);
        out.assistantDelta(note);
        return new Reply(Revealed.scrub(revealed, all.substring(replyStart)), "max_iterations");
    }

    private String runTool(ToolExecutionRequest r, OfferedTools offered, CallContext ctx, RunStream out, List<String> revealed)
            throws InterruptedException {
        String callId = r.id() == null ? java.util.UUID.randomUUID().toString() : r.id();
        var found = offered.find(r.name());
        ObjectNode args = OfferedTools.arguments(r.arguments());
        String skill = found.map(OfferedTools.Offered::skill).orElse(null);
        String tool = found.map(OfferedTools.Offered::tool).orElse(r.name());
        ObjectNode start = JsonNodeFactory.instance.objectNode().put("phase", "start").put("toolCallId", callId)
                .put("name", r.name());
        if (skill != null) {
            start.put("skill", skill).put("tool", tool);
        }
        start.set("args", args == null ? JsonNodeFactory.instance.textNode(cut(r.arguments(), limits.eventResultChars())) : args);
        out.toolEvent(start);
        ToolResult result;
        if (found.isEmpty()) {
            // Not offered (policy hid it, or no such tool): never run; the invoker says why and audits it.
            int sep = r.name() == null ? -1 : r.name().indexOf(OfferedTools.SEPARATOR);
            String askedSkill = sep < 0 ? String.valueOf(r.name()) : r.name().substring(0, sep);
            String askedTool = sep < 0 ? "" : r.name().substring(sep + OfferedTools.SEPARATOR.length());
            result = invoker.refuseUnoffered(new ToolCall(callId, askedSkill, askedTool,
                    args == null ? JsonNodeFactory.instance.objectNode() : args), ctx);
        } else if (args == null) {
            result = ToolResult.refused("the arguments of " + r.name() + " must be a JSON object");
        } else if (out.aborted()) {
            result = new ToolResult("aborted", "the run was stopped before this tool ran", true, 0);
        } else {
            result = invoker.invoke(new ToolCall(callId, skill, tool, args), ctx);
        }
        String bounded = cut(result.text(), limits.toolResultChars());
        // A revealed secret reaches the model (it asked, an operator approved); the transcript file and the
        // clients' events keep a marker instead of the value.
        boolean secret = !result.isError() && found.map(offered::revealsSecret).orElse(false);
        String kept = secret ? "[redacted: " + skill + "." + tool + " revealed a secret to the model ("
                + result.text().length() + " characters); the transcript does not keep it]" : bounded;
        ObjectNode end = JsonNodeFactory.instance.objectNode().put("phase", "end").put("toolCallId", callId)
                .put("name", r.name()).put("status", result.status()).put("isError", result.isError())
                .put("durationMs", result.durationMs())
                .put("result", secret ? kept : Revealed.scrub(revealed, cut(result.text(), limits.eventResultChars())));
        if (skill != null) {
            end.put("skill", skill).put("tool", tool);
        }
        out.toolEvent(end);
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("role", "toolResult").put("toolCallId", callId)
                .put("toolName", skill == null ? r.name() : skill + "." + tool).put("status", result.status())
                .put("isError", result.isError());
        if (secret) {
            payload.put("redacted", true);
            revealed.add(result.text());
        }
        payload.putArray("content").addObject().put("type", "text").put("text", kept);
        out.record(Revealed.scrub(revealed, TranscriptEntry.of("message", payload)));
        return bounded;
    }

    private static TranscriptEntry assistantToolCalls(AiMessage ai, OfferedTools offered, String streamed) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("role", "assistant");
        ArrayNode content = payload.putArray("content");
        String text = ai.text() != null && !ai.text().isEmpty() ? ai.text() : streamed;
        if (text != null && !text.isEmpty()) {
            content.addObject().put("type", "text").put("text", text);
        }
        for (ToolExecutionRequest r : ai.toolExecutionRequests()) {
            ObjectNode call = content.addObject().put("type", "toolCall").put("id", r.id())
                    .put("name", offered.find(r.name()).map(o -> o.skill() + "." + o.tool()).orElse(r.name()));
            ObjectNode args = OfferedTools.arguments(r.arguments());
            call.set("arguments", args == null ? JsonNodeFactory.instance.objectNode() : args);
        }
        payload.put("stopReason", "toolUse");
        return TranscriptEntry.of("message", payload);
    }

    /** Summarises what no longer fits, records it, and returns the history to use after it. */
    private List<ChatMessage> compact(HistoryWindow.Window window, ModelCaller model, RunStream out) {
        StringBuilder text = new StringBuilder();
        if (window.summary() != null) {
            text.append("Earlier summary: ").append(window.summary()).append('\n');
        }
        int tokensBefore = 0;
        for (List<TranscriptEntry> unit : window.dropped()) {
            for (TranscriptEntry e : unit) {
                String t = HistoryWindow.text(e);
                tokensBefore += t.length() / 4;
                text.append(e.role()).append(": ").append(cut(t, 2_000)).append('\n');
            }
        }
        String summary;
        try {
            summary = model.chat(ChatRequest.builder().messages(
                    SystemMessage.from("Summarise this conversation for your own later reference in at most 150 words. "
                            + "Keep facts, decisions, names and open tasks."),
                    UserMessage.from(cut(text.toString(), 40_000))).build(), d -> { }, out::aborted).aiMessage().text();
        } catch (ModelCaller.ModelCallException | RuntimeException e) {
            summary = null;
        }
        if (summary == null || summary.isBlank()) {
            summary = "(" + window.dropped().size() + " earlier exchanges were left out to fit the context; no summary "
                    + "could be made)";
        }
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("summary", summary).put("tokensBefore", tokensBefore);
        if (window.firstKeptEntryId() != null) {
            payload.put("firstKeptEntryId", window.firstKeptEntryId());
        }
        out.record(TranscriptEntry.of("compaction", payload));
        ObjectNode event = JsonNodeFactory.instance.objectNode().put("phase", "compaction").put("summary", cut(summary, 500));
        out.toolEvent(event);
        List<ChatMessage> kept = new ArrayList<>();
        kept.add(SystemMessage.from("Summary of the earlier conversation: " + summary));
        window.messages().stream().filter(m -> !(m instanceof SystemMessage)).forEach(kept::add);
        return kept;
    }

    static String cut(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max) + "… [" + (s.length() - max) + " more characters cut]";
    }
}
