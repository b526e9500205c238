package ai.clawbot.bench;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: the same model calls a turn makes, made directly with langchain4j's OpenAI streaming client, set
 * up as the gateway sets it up (JDK HTTP client, HTTP/1.1 for a plain-http endpoint, the "no key" bearer). The
 * requests are rebuilt from what the gateway sent (system prompt, user message, tool specifications, the tool call
 * and its result), so the model server sees the same bodies; {@link AgentTurnBench} checks that it does.
 */
final class DirectModel {

    private final StreamingChatModel model;

    private DirectModel(StreamingChatModel model) {
        this.model = model;
    }

    static DirectModel create(String baseUrl, String modelName) {
        Duration timeout = Duration.ofSeconds(120);
        HttpClient.Builder jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        return new DirectModel(OpenAiStreamingChatModel.builder()
                .httpClientBuilder(JdkHttpClient.builder().httpClientBuilder(jdk).connectTimeout(timeout).readTimeout(timeout))
                .baseUrl(baseUrl).apiKey("not-needed").modelName(modelName).timeout(timeout).build());
    }

    /** The first call of a turn: system prompt, the user's message, the tools offered. */
    static ChatRequest first(String system, String user, List<ToolSpecification> tools) {
        return ChatRequest.builder().messages(SystemMessage.from(system), UserMessage.from(user))
                .toolSpecifications(tools).build();
    }

    /** The second call of a tool turn: the first, then the model's tool call and the tool's result. */
    static ChatRequest afterTool(String system, String user, List<ToolSpecification> tools, ToolExecutionRequest call,
                                 String result) {
        return ChatRequest.builder().messages(SystemMessage.from(system), UserMessage.from(user), AiMessage.from(call),
                        ToolExecutionResultMessage.from(call, result))
                .toolSpecifications(tools).build();
    }

    static ToolExecutionRequest call(String id, String name, String arguments) {
        return ToolExecutionRequest.builder().id(id).name(name).arguments(arguments).build();
    }

    /** One streamed call to its complete response, timed; fails on an error or a timeout. */
    Timed chat(ChatRequest request) throws IOException {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        long t0 = System.nanoTime();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                // streamed pieces: the gateway forwards them; here they are only received
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        try {
            ChatResponse r = done.get(120, TimeUnit.SECONDS);
            return new Timed(System.nanoTime() - t0, r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (Exception e) {
            throw new IOException("direct model call failed: " + e, e);
        }
    }

    /** A call's wall time and response. */
    record Timed(long nanos, ChatResponse response) {
    }
}
