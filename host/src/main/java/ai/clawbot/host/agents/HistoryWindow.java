package ai.clawbot.host.agents;

import ai.clawbot.host.sessions.TranscriptEntry;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a transcript into model messages within a budget. Messages are grouped into units that must stay
 * together (an assistant message that called tools and the results of those calls); the oldest units are dropped
 * first, whole. The latest {@code compaction} entry, if any, stands in for everything before its
 * {@code firstKeptEntryId}.
 */
final class HistoryWindow {

    /** The messages to send, what was left out (to summarise), and the summary in use. */
    record Window(List<ChatMessage> messages, List<List<TranscriptEntry>> dropped, String summary, String firstKeptEntryId) {
    }

    private HistoryWindow() {
    }

    static Window build(List<TranscriptEntry> entries, int budgetChars) {
        String summary = null;
        int start = 0;
        for (int i = entries.size() - 1; i >= 0; i--) {
            TranscriptEntry e = entries.get(i);
            if ("compaction".equals(e.type())) {
                summary = e.payload().path("summary").asText(null);
                String firstKept = e.payload().path("firstKeptEntryId").asText(null);
                start = i + 1;
                for (int j = 0; j < i; j++) {
                    if (entries.get(j).id().equals(firstKept)) {
                        start = j;
                        break;
                    }
                }
                break;
            }
        }
        List<List<TranscriptEntry>> units = units(entries.subList(start, entries.size()));
        int total = units.stream().mapToInt(HistoryWindow::size).sum() + (summary == null ? 0 : summary.length());
        List<List<TranscriptEntry>> dropped = new ArrayList<>();
        while (total > budgetChars && units.size() > 1) {
            List<TranscriptEntry> u = units.remove(0);
            total -= size(u);
            dropped.add(u);
        }
        List<ChatMessage> messages = new ArrayList<>();
        if (summary != null) {
            messages.add(SystemMessage.from("Summary of the earlier conversation: " + summary));
        }
        units.forEach(u -> emit(u, messages));
        String firstKept = units.isEmpty() || units.get(0).isEmpty() ? null : units.get(0).get(0).id();
        return new Window(messages, dropped, summary, firstKept);
    }

    /**
     * A unit's messages. A tool call whose result was never recorded (the process died mid-call) gets a stand-in
     * result: providers refuse a history with an unanswered call, which would break every later turn.
     */
    private static void emit(List<TranscriptEntry> unit, List<ChatMessage> out) {
        unit.forEach(e -> toMessage(e, out));
        TranscriptEntry first = unit.get(0);
        if (!"assistant".equals(first.role())) {
            return;
        }
        java.util.Set<String> answered = new java.util.HashSet<>();
        unit.stream().skip(1).forEach(e -> answered.add(e.payload().path("toolCallId").asText()));
        for (ToolExecutionRequest call : toolCalls(first)) {
            if (!answered.contains(call.id())) {
                out.add(ToolExecutionResultMessage.from(call.id(), call.name(),
                        "no result was recorded: the run ended before this tool finished"));
            }
        }
    }

    private static List<List<TranscriptEntry>> units(List<TranscriptEntry> entries) {
        List<List<TranscriptEntry>> units = new ArrayList<>();
        List<TranscriptEntry> open = null;
        for (TranscriptEntry e : entries) {
            if (!"message".equals(e.type())) {
                continue;
            }
            String role = e.role();
            if ("toolResult".equals(role)) {
                if (open != null) {
                    open.add(e);
                }
                continue; // a result whose call is not in the window means nothing to the model
            }
            List<TranscriptEntry> unit = new ArrayList<>();
            unit.add(e);
            units.add(unit);
            open = "assistant".equals(role) && !toolCalls(e).isEmpty() ? unit : null;
        }
        return units;
    }

    private static int size(List<TranscriptEntry> unit) {
        return unit.stream().mapToInt(e -> e.payload().toString().length()).sum();
    }

    static String text(TranscriptEntry e) {
        StringBuilder b = new StringBuilder();
        for (JsonNode block : e.payload().path("content")) {
            if ("text".equals(block.path("type").asText())) {
                b.append(block.path("text").asText());
            }
        }
        if (e.payload().path("content").isTextual()) {
            b.append(e.payload().path("content").asText());
        }
        return b.toString();
    }

    private static List<ToolExecutionRequest> toolCalls(TranscriptEntry e) {
        List<ToolExecutionRequest> out = new ArrayList<>();
        for (JsonNode block : e.payload().path("content")) {
            if ("toolCall".equals(block.path("type").asText())) {
                String name = block.path("name").asText();
                int dot = name.indexOf('.');
                String fn = dot < 0 ? name : OfferedTools.functionName(name.substring(0, dot), name.substring(dot + 1));
                out.add(ToolExecutionRequest.builder().id(block.path("id").asText()).name(fn == null ? name : fn)
                        .arguments(block.path("arguments").toString()).build());
            }
        }
        return out;
    }

    private static void toMessage(TranscriptEntry e, List<ChatMessage> out) {
        String role = e.role();
        String text = text(e);
        switch (role == null ? "" : role) {
            case "user" -> out.add(UserMessage.from(text.isEmpty() ? " " : text));
            case "assistant" -> {
                List<ToolExecutionRequest> calls = toolCalls(e);
                if (calls.isEmpty()) {
                    out.add(AiMessage.from(text.isEmpty() ? " " : text));
                } else {
                    out.add(text.isEmpty() ? AiMessage.from(calls) : AiMessage.from(text, calls));
                }
            }
            case "toolResult" -> {
                String name = e.payload().path("toolName").asText();
                int dot = name.indexOf('.');
                String fn = dot < 0 ? name : OfferedTools.functionName(name.substring(0, dot), name.substring(dot + 1));
                out.add(ToolExecutionResultMessage.from(e.payload().path("toolCallId").asText(), fn == null ? name : fn, text));
            }
            default -> {
                // other roles are not replayed to the model
            }
        }
    }
}
