package ai.clawbot.host.models;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;

/**
 * Turns Gemini's silent refusals into an error. langchain4j maps {@code finishReason: SAFETY} (and the other
 * filters) to {@link FinishReason#CONTENT_FILTER}, and a blocked prompt ({@code promptFeedback.blockReason}, no
 * candidates) to an empty reply without a finish reason; an agent would otherwise record an empty answer.
 */
final class SafetyBlockedAsError {

    private SafetyBlockedAsError() {
    }

    static StreamingChatModel wrap(StreamingChatModel delegate, String label) {
        return new StreamingChatModel() {
            @Override
            public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
                delegate.chat(request, new Guard(handler, label));
            }

            @Override
            public String toString() {
                return "Gemini[" + label + "]";
            }
        };
    }

    private record Guard(StreamingChatResponseHandler handler, String label) implements StreamingChatResponseHandler {

        // Every callback passes through, so the router's abort handle, thinking and tool-call events still arrive.
        @Override
        public void onPartialResponse(String partialResponse) {
            handler.onPartialResponse(partialResponse);
        }

        @Override
        public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
            handler.onPartialResponse(partialResponse, context);
        }

        @Override
        public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
            handler.onPartialThinking(partialThinking, context);
        }

        @Override
        public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
            handler.onPartialToolCall(partialToolCall, context);
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall completeToolCall) {
            handler.onCompleteToolCall(completeToolCall);
        }

        @Override
        public void onUnmappedRawEvent(Object rawEvent) {
            handler.onUnmappedRawEvent(rawEvent);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            boolean empty = response.aiMessage() == null
                    || ((response.aiMessage().text() == null || response.aiMessage().text().isEmpty())
                    && !response.aiMessage().hasToolExecutionRequests());
            if (response.finishReason() == FinishReason.CONTENT_FILTER) {
                handler.onError(new GeminiBlockedException("Gemini " + label
                        + " stopped the answer: blocked by safety filters (finishReason SAFETY)"));
            } else if (empty && response.finishReason() == null) {
                handler.onError(new GeminiBlockedException("Gemini " + label
                        + " returned no candidates: the prompt was blocked (promptFeedback.blockReason)"));
            } else {
                handler.onCompleteResponse(response);
            }
        }

        @Override
        public void onError(Throwable error) {
            handler.onError(error);
        }
    }
}
