package ai.clawbot.host.models;

import static ai.clawbot.testkit.model.LocalModelServer.JSON;
import static ai.clawbot.testkit.model.LocalModelServer.frame;
import static ai.clawbot.testkit.model.LocalModelServer.openSse;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.testkit.model.LocalModelServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The Anthropic adapter against a local server speaking the Messages streaming wire format. */
class AnthropicWireFormatLocalServerTest {

    private static ModelRouter router(String modelsJson) throws Exception {
        return ModelRouter.builder().config(JSON.readTree(modelsJson))
                .options(new ModelRouter.Options(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofHours(1))).build();
    }

    private static void event(OutputStream out, String type, String json) throws IOException {
        frame(out, type, json);
    }

    private static void textReply(HttpExchange exchange, String... pieces) throws IOException {
        OutputStream out = openSse(exchange);
        event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-test\",\"content\":[],\"stop_reason\":null,"
                + "\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}");
        event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        for (String piece : pieces) {
            event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":" + LocalModelServer.quote(piece) + "}}");
        }
        event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":5}}");
        event(out, "message_stop", "{\"type\":\"message_stop\"}");
    }

    @Test
    void streamsTextInOrderThenAToolUseAndSendsToolSchemaAndApiKeyHeader() throws Exception {
        CountDownLatch clientSawFirstPiece = new CountDownLatch(1);
        AtomicBoolean streamedBeforeEnd = new AtomicBoolean();
        try (LocalModelServer server = LocalModelServer.start((request, exchange) -> {
            OutputStream out = openSse(exchange);
            event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
                    + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-test\",\"content\":[],"
                    + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,"
                    + "\"output_tokens\":1}}}");
            event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                    + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            event(out, "ping", "{\"type\":\"ping\"}");
            event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Let me \"}}");
            streamedBeforeEnd.set(clientSawFirstPiece.await(5, TimeUnit.SECONDS));
            event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"check.\"}}");
            event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
            event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":1,"
                    + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"get_weather\","
                    + "\"input\":{}}}");
            event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
                    + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}");
            event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
                    + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}}");
            event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
                    + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}");
            event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}");
            event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
                    + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":40}}");
            event(out, "message_stop", "{\"type\":\"message_stop\"}");
        })) {
            ModelRouter router = router("{\"providers\":{\"anthropic\":{\"api\":\"anthropic\",\"baseUrl\":\""
                    + server.baseUrl() + "\",\"apiKey\":\"sk-ant-test\",\"models\":[\"claude-test\"]}},"
                    + "\"routing\":{\"coder\":\"anthropic/claude-test\"}}");
            List<String> partials = new CopyOnWriteArrayList<>();

            ChatResponse response = router.chat(router.candidates(null, null, ModelRole.CODER),
                    OpenAiWireFormatLocalServerTest.weatherRequest(), piece -> {
                        partials.add(piece);
                        clientSawFirstPiece.countDown();
                    }, () -> false);

            assertThat(streamedBeforeEnd).isTrue();
            assertThat(partials).containsExactly("Let me ", "check.");
            assertThat(response.aiMessage().text()).isEqualTo("Let me check.");
            assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
            assertThat(response.aiMessage().toolExecutionRequests()).hasSize(1);
            ToolExecutionRequest call = response.aiMessage().toolExecutionRequests().get(0);
            assertThat(call.id()).isEqualTo("toolu_01");
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(JSON.readTree(call.arguments())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));

            LocalModelServer.Received sent = server.last();
            assertThat(sent.method()).isEqualTo("POST");
            assertThat(sent.path()).isEqualTo("/v1/messages");
            assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-test");
            assertThat(sent.header("anthropic-version")).isNotBlank();
            assertThat(sent.header("Authorization")).isNull();
            JsonNode body = sent.json();
            assertThat(body.path("model").asText()).isEqualTo("claude-test");
            assertThat(body.path("stream").asBoolean()).isTrue();
            assertThat(body.path("max_tokens").asInt()).isEqualTo(AnthropicProviderFactory.DEFAULT_MAX_TOKENS);
            assertThat(body.path("system").toString()).contains("Be brief.");
            assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("user");
            JsonNode tool = body.path("tools").get(0);
            assertThat(tool.path("name").asText()).isEqualTo("get_weather");
            assertThat(tool.path("description").asText()).isEqualTo("Current weather for a city");
            assertThat(tool.path("input_schema").path("type").asText()).isEqualTo("object");
            assertThat(tool.path("input_schema").path("properties").path("city").path("type").asText())
                    .isEqualTo("string");
            assertThat(tool.path("input_schema").path("required").get(0).asText()).isEqualTo("city");
        }
    }

    @Test
    void baseUrlThatAlreadyEndsInV1IsNotDoubled() throws Exception {
        try (LocalModelServer server = LocalModelServer.start((request, exchange) -> textReply(exchange, "ok"))) {
            ModelRouter router = router("{\"providers\":{\"claude\":{\"api\":\"anthropic\",\"baseUrl\":\""
                    + server.baseUrl() + "/v1/\",\"apiKey\":\"sk-ant-test\",\"models\":[\"claude-test\"]}}}");

            ChatResponse response = router.chat(router.candidates(null, List.of(), null),
                    ChatRequest.builder().messages(UserMessage.from("hi")).build(), piece -> { }, () -> false);

            assertThat(response.aiMessage().text()).isEqualTo("ok");
            assertThat(server.last().path()).isEqualTo("/v1/messages");
        }
    }

    @Test
    void overloadedErrorEventBeforeAnyTextFallsOverAndCoolsTheProviderDown() throws Exception {
        try (LocalModelServer overloaded = LocalModelServer.start((request, exchange) -> {
            OutputStream out = openSse(exchange);
            event(out, "error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                    + "\"message\":\"Overloaded\"}}");
        });
             LocalModelServer healthy = LocalModelServer.start((request, exchange) -> textReply(exchange, "fine"))) {
            ModelRouter router = router("{\"providers\":{"
                    + "\"a\":{\"api\":\"anthropic\",\"baseUrl\":\"" + overloaded.baseUrl() + "\",\"apiKey\":\"k-a1\"},"
                    + "\"b\":{\"api\":\"anthropic\",\"baseUrl\":\"" + healthy.baseUrl() + "\",\"apiKey\":\"k-b1\"}},"
                    + "\"fallbacks\":[\"b/claude-test\"]}");
            List<String> partials = new CopyOnWriteArrayList<>();

            ChatResponse response = router.chat(router.candidates("a/claude-test", List.of(), null),
                    ChatRequest.builder().messages(UserMessage.from("hi")).build(), partials::add, () -> false);

            assertThat(response.aiMessage().text()).isEqualTo("fine");
            assertThat(partials).containsExactly("fine");
            assertThat(router.coolingDown()).containsOnlyKeys("a");
            assertThat(healthy.last().header("x-api-key")).isEqualTo("k-b1");
        }
    }
}
