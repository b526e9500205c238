package ai.clawbot.host.models;

import static ai.clawbot.testkit.model.LocalModelServer.JSON;
import static ai.clawbot.testkit.model.LocalModelServer.frame;
import static ai.clawbot.testkit.model.LocalModelServer.openAiFinish;
import static ai.clawbot.testkit.model.LocalModelServer.openAiText;
import static ai.clawbot.testkit.model.LocalModelServer.openSse;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.testkit.model.LocalModelServer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The OpenAI adapter against a local server speaking the chat/completions streaming wire format. */
class OpenAiWireFormatLocalServerTest {

    static final ToolSpecification WEATHER = ToolSpecification.builder()
            .name("get_weather")
            .description("Current weather for a city")
            .parameters(JsonObjectSchema.builder().addStringProperty("city", "City name").required("city").build())
            .build();

    static ChatRequest weatherRequest() {
        return ChatRequest.builder()
                .messages(SystemMessage.from("Be brief."), UserMessage.from("Weather in Paris?"))
                .toolSpecifications(WEATHER)
                .build();
    }

    static ModelRouter router(String modelsJson, Duration timeout) throws Exception {
        return ModelRouter.builder().config(JSON.readTree(modelsJson))
                .options(new ModelRouter.Options(timeout, Duration.ofMinutes(1), Duration.ofHours(1))).build();
    }

    @Test
    void streamsTextInOrderThenAToolCallAndSendsToolSchemaAndBearerKey() throws Exception {
        CountDownLatch clientSawFirstPiece = new CountDownLatch(1);
        AtomicBoolean streamedBeforeEnd = new AtomicBoolean();
        try (LocalModelServer server = LocalModelServer.start((request, exchange) -> {
            OutputStream out = openSse(exchange);
            frame(out, null, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                    + "\"content\":\"Hel\"},\"finish_reason\":null}]}");
            // Hold the rest until the client has the first piece: proves it is streamed, not buffered.
            streamedBeforeEnd.set(clientSawFirstPiece.await(5, TimeUnit.SECONDS));
            frame(out, null, openAiText("gpt-test", "lo, "));
            frame(out, null, openAiText("gpt-test", "world"));
            frame(out, null, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                    + "\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                    + "\"arguments\":\"\"}}]},\"finish_reason\":null}]}");
            frame(out, null, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                    + "\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},\"finish_reason\":null}]}");
            frame(out, null, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                    + "\"function\":{\"arguments\":\" \\\"Paris\\\"}\"}}]},\"finish_reason\":null}]}");
            frame(out, null, openAiFinish("gpt-test", "tool_calls"));
            frame(out, null, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-test\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
                    + "\"completion_tokens\":12,\"total_tokens\":21}}");
            frame(out, null, "[DONE]");
        })) {
            ModelRouter router = router("{\"providers\":{\"openai\":{\"api\":\"openai\",\"baseUrl\":\""
                    + server.baseUrl() + "/v1\",\"apiKey\":\"sk-test-123\",\"models\":[\"gpt-test\"]}}}",
                    Duration.ofSeconds(10));
            List<String> partials = new CopyOnWriteArrayList<>();

            ChatResponse response = router.chat(router.candidates(null, List.of(), ModelRole.PLANNER),
                    weatherRequest(), piece -> {
                        partials.add(piece);
                        clientSawFirstPiece.countDown();
                    }, () -> false);

            assertThat(streamedBeforeEnd).isTrue();
            assertThat(partials).containsExactly("Hel", "lo, ", "world");
            assertThat(response.aiMessage().text()).isEqualTo("Hello, world");
            assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
            assertThat(response.aiMessage().toolExecutionRequests()).hasSize(1);
            ToolExecutionRequest call = response.aiMessage().toolExecutionRequests().get(0);
            assertThat(call.id()).isEqualTo("call_1");
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(JSON.readTree(call.arguments())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));

            LocalModelServer.Received sent = server.last();
            assertThat(sent.method()).isEqualTo("POST");
            assertThat(sent.path()).isEqualTo("/v1/chat/completions");
            assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-test-123");
            JsonNode body = sent.json();
            assertThat(body.path("model").asText()).isEqualTo("gpt-test");
            assertThat(body.path("stream").asBoolean()).isTrue();
            assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("system");
            assertThat(body.path("messages").get(1).path("content").asText()).isEqualTo("Weather in Paris?");
            JsonNode tool = body.path("tools").get(0);
            assertThat(tool.path("type").asText()).isEqualTo("function");
            assertThat(tool.path("function").path("name").asText()).isEqualTo("get_weather");
            assertThat(tool.path("function").path("description").asText()).isEqualTo("Current weather for a city");
            JsonNode params = tool.path("function").path("parameters");
            assertThat(params.path("type").asText()).isEqualTo("object");
            assertThat(params.path("properties").path("city").path("type").asText()).isEqualTo("string");
            assertThat(params.path("required").get(0).asText()).isEqualTo("city");
        }
    }

    @Test
    void openAiCompatibleEndpointWithoutKeyGetsADummyBearerAndTheAgentsModelId() throws Exception {
        try (LocalModelServer server = LocalModelServer.start(LocalModelServer.openAiReply("llama3.1:8b", "hi"))) {
            ModelRouter router = router("{\"providers\":{\"local\":{\"api\":\"openai-compatible\",\"baseUrl\":\""
                    + server.baseUrl() + "/v1\",\"models\":[{\"id\":\"qwen2.5\"},\"llama3.1:8b\"]}}}",
                    Duration.ofSeconds(10));

            ChatResponse response = router.chat(router.candidates("local/llama3.1:8b", List.of(), null),
                    ChatRequest.builder().messages(UserMessage.from("hello")).build(), piece -> { }, () -> false);

            assertThat(response.aiMessage().text()).isEqualTo("hi");
            assertThat(server.last().path()).isEqualTo("/v1/chat/completions");
            assertThat(server.last().header("Authorization")).isEqualTo("Bearer " + OpenAiProviderFactory.NO_KEY);
            assertThat(server.last().json().path("model").asText()).isEqualTo("llama3.1:8b");
        }
    }

    @Test
    void abortStopsWaitingPromptlyAndReturnsTheTextReceived() throws Exception {
        try (LocalModelServer server = LocalModelServer.start((request, exchange) -> {
            OutputStream out = openSse(exchange);
            frame(out, null, openAiText("gpt-test", "Partial"));
            Thread.sleep(10_000); // a model that goes quiet; the client must not wait for it
        })) {
            ModelRouter router = router("{\"providers\":{\"openai\":{\"baseUrl\":\"" + server.baseUrl()
                    + "/v1\",\"apiKey\":\"k-1234\",\"models\":[\"gpt-test\"]}}}", Duration.ofSeconds(30));
            AtomicBoolean abort = new AtomicBoolean();
            List<String> partials = new CopyOnWriteArrayList<>();

            long start = System.nanoTime();
            ChatResponse response = router.chat(router.candidates(null, List.of(), null),
                    ChatRequest.builder().messages(UserMessage.from("hello")).build(), piece -> {
                        partials.add(piece);
                        abort.set(true);
                    }, abort::get);
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(partials).containsExactly("Partial");
            assertThat(response.aiMessage().text()).isEqualTo("Partial");
            assertThat(millis).isLessThan(3_000);
            assertThat(router.coolingDown()).isEmpty();
        }
    }
}
