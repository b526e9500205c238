package ai.clawbot.host.agents;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model used when no provider is configured. It says so plainly, and runs explicit slash commands as tool
 * calls through the same policy and sandbox path as a real model: {@code /obsidian search_content query=notes}
 * (or JSON arguments: {@code /obsidian read {"path":"a.md"}}). After the tool ran it reports the result.
 */
public final class OfflineModel implements ModelCaller {

    static final String NOTICE = "No model provider is configured, so I can only run explicit commands such as "
            + "/obsidian search_content query=... . Add a provider under models.providers in openclaw.json (OpenAI, "
            + "Anthropic or any OpenAI-compatible server such as Ollama) for free-form answers.";
    private static final Pattern COMMAND = Pattern.compile("^/([a-z0-9][a-z0-9_-]*)\\s+([A-Za-z0-9_-]+)\\s*(.*)$", Pattern.DOTALL);
    private static final Pattern PAIR = Pattern.compile("([A-Za-z0-9_]+)=(\"((?:[^\"\\\\]|\\\\.)*)\"|\\S+)");

    @Override
    public ChatResponse chat(ChatRequest request, Consumer<String> onPartialText, BooleanSupplier aborted) {
        List<ChatMessage> messages = request.messages();
        ChatMessage last = messages.get(messages.size() - 1);
        if (last instanceof ToolExecutionResultMessage result) {
            return text("Result of " + result.toolName().replace(OfferedTools.SEPARATOR, ".") + ":\n" + result.text(),
                    onPartialText);
        }
        String said = last instanceof UserMessage u && u.hasSingleText() ? u.singleText().trim() : "";
        Matcher m = COMMAND.matcher(said);
        if (m.matches()) {
            String fn = OfferedTools.functionName(m.group(1), m.group(2));
            ObjectNode args = arguments(m.group(3).trim());
            if (fn != null && args != null) {
                return ChatResponse.builder().aiMessage(AiMessage.from(List.of(ToolExecutionRequest.builder()
                        .id("offline-" + UUID.randomUUID()).name(fn).arguments(args.toString()).build()))).build();
            }
            return text("I could not read that command. Use /<skill> <tool> key=value ... or /<skill> <tool> {json}.",
                    onPartialText);
        }
        return text(NOTICE, onPartialText);
    }

    private static ChatResponse text(String text, Consumer<String> onPartialText) {
        for (String piece : text.split("(?<=[.:\\n]) ")) {
            onPartialText.accept(piece.endsWith("\n") || piece.equals(text) ? piece : piece + " ");
        }
        return ChatResponse.builder().aiMessage(AiMessage.from(text)).build();
    }

    /** {@code key=value key2="quoted value"} or a JSON object; numbers and booleans keep their type. */
    static ObjectNode arguments(String rest) {
        if (rest.isEmpty()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (rest.startsWith("{")) {
            return OfferedTools.arguments(rest);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Matcher p = PAIR.matcher(rest);
        int consumed = 0;
        while (p.find()) {
            if (!rest.substring(consumed, p.start()).isBlank()) {
                return null;
            }
            consumed = p.end();
            String value = p.group(3) != null ? p.group(3).replaceAll("\\\\(.)", "$1") : p.group(2);
            if (p.group(3) == null && value.matches("-?\\d{1,15}")) {
                out.put(p.group(1), Long.parseLong(value));
            } else if (p.group(3) == null && (value.equals("true") || value.equals("false"))) {
                out.put(p.group(1), Boolean.parseBoolean(value));
            } else {
                out.put(p.group(1), value);
            }
        }
        return rest.substring(consumed).isBlank() ? out : null;
    }
}
