package ai.clawbot.host.ui;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;

/**
 * A model for UI tests without tools: answers "echo: " and the last user message, streamed word by word; a message
 * starting with "slow" streams "tick " every 150 ms for two minutes, longer than any test waits: only Stop ends it
 * while a test watches (forty ticks, six seconds, left a loaded machine little time to screenshot and click Stop).
 */
final class EchoModel implements StreamingChatModel {

    /** How many ticks a "slow" reply has if nobody stops it. */
    static final int SLOW_TICKS = 800;

    @Override
    public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
        String last = "";
        List<ChatMessage> messages = request.messages();
        for (ChatMessage m : messages) {
            if (m instanceof UserMessage u && u.hasSingleText()) {
                last = u.singleText();
            }
        }
        if (last.startsWith("slow")) {
            Thread.ofVirtual().start(() -> {
                StringBuilder all = new StringBuilder();
                try {
                    for (int i = 0; i < SLOW_TICKS; i++) {
                        Thread.sleep(150);
                        all.append("tick ");
                        handler.onPartialResponse("tick ");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(all.toString())).build());
            });
            return;
        }
        String answer = "echo: " + last;
        for (String piece : answer.split("(?<= )")) {
            handler.onPartialResponse(piece);
        }
        handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(answer)).build());
    }
}
