package ai.clawbot.host.models;

import static ai.clawbot.testkit.model.LocalModelServer.JSON;
import static ai.clawbot.testkit.model.LocalModelServer.frame;
import static ai.clawbot.testkit.model.LocalModelServer.openSse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.testkit.model.LocalModelServer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Gemini adapter ({@code api: google-generative-ai}) against a local server speaking Gemini's documented wire
 * format: {@code POST /v1beta/models/{m}:streamGenerateContent?alt=sse}, SSE frames of
 * {@code {candidates:[{content:{role, parts}, finishReason}], usageMetadata, modelVersion}}.
 * Every request is checked for key hygiene: the key only in {@code x-goog-api-key}, never {@code key=} in a URL.
 */
class GeminiWireFormatLocalServerTest {

    private static final String KEY = "AIza-test-gemini-key-0001";
    private final List<String> uris = new CopyOnWriteArrayList<>();

    @AfterEach
    void noKeyInAnyUrl() {
        assertThat(uris).isNotEmpty().allSatisfy(uri -> {
            assertThat(uri).doesNotContain("key=").doesNotContain(KEY);
        });
    }

    /** Records the raw request URI (query included) before answering. */
    private LocalModelServer.Responder hygienic(LocalModelServer.Responder responder) {
        return (request, exchange) -> {
            URI uri = exchange.getRequestURI();
            uris.add(uri.toString());
            responder.respond(request, exchange);
        };
    }

    private static String chunk(String partsJson, String finishReason) {
        return "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":" + partsJson + "},"
                + (finishReason == null ? "" : "\"finishReason\":\"" + finishReason + "\",")
                + "\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":7,\"candidatesTokenCount\":3,"
                + "\"totalTokenCount\":10},\"modelVersion\":\"gemini-test\"}";
    }

    private static String text(String text) {
        return "[{\"text\":" + LocalModelServer.quote(text) + "}]";
    }

    private static ModelRouter router(String json) throws Exception {
        return OpenAiWireFormatLocalServerTest.router(json, Duration.ofSeconds(10));
    }

    private static String provider(String id, LocalModelServer server, String key) {
        return "\"" + id + "\":{\"api\":\"google-generative-ai\",\"baseUrl\":\"" + server.baseUrl()
                + "/v1beta\",\"apiKey\":\"" + key + "\",\"models\":[\"gemini-test\"]}";
    }

    @Test
    void plainTextStreamsInOrderWithSystemInstructionAndHeaderKey() throws Exception {
        CountDownLatch clientSawFirstPiece = new CountDownLatch(1);
        AtomicBoolean streamedBeforeEnd = new AtomicBoolean();
        try (LocalModelServer server = LocalModelServer.start(hygienic((request, exchange) -> {
            OutputStream out = openSse(exchange);
            frame(out, null, chunk(text("Hel"), null));
            // Hold the rest until the client has the first piece: proves it is streamed, not buffered.
            streamedBeforeEnd.set(clientSawFirstPiece.await(5, TimeUnit.SECONDS));
            frame(out, null, chunk(text("lo, "), null));
            frame(out, null, chunk(text("world"), "STOP"));
        }))) {
            ModelRouter router = router("{\"providers\":{" + provider("gemini", server, KEY) + "}}");
            List<String> partials = new CopyOnWriteArrayList<>();

            ChatResponse response = router.chat(router.candidates("gemini/gemini-test", List.of(), null),
                    ChatRequest.builder().messages(SystemMessage.from("Be brief."), UserMessage.from("Say hello"))
                            .build(), piece -> {
                        partials.add(piece);
                        clientSawFirstPiece.countDown();
                    }, () -> false);

            assertThat(streamedBeforeEnd).isTrue();
            assertThat(partials).containsExactly("Hel", "lo, ", "world");
            assertThat(response.aiMessage().text()).isEqualTo("Hello, world");
            assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(7);
            assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(3);

            LocalModelServer.Received sent = server.last();
            assertThat(sent.method()).isEqualTo("POST");
            assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-test:streamGenerateContent");
            assertThat(uris.get(0)).endsWith("?alt=sse");
            assertThat(sent.header("x-goog-api-key")).isEqualTo(KEY);
            assertThat(sent.header("Authorization")).isNull();
            JsonNode body = sent.json();
            assertThat(body.path("systemInstruction").path("parts").get(0).path("text").asText())
                    .isEqualTo("Be brief.");
            assertThat(body.path("contents")).hasSize(1);
            assertThat(body.path("contents").get(0).path("role").asText()).isEqualTo("user");
            assertThat(body.path("contents").get(0).path("parts").get(0).path("text").asText())
                    .isEqualTo("Say hello");
        }
    }

    @Test
    void toolCallThenFunctionResponseTurn() throws Exception {
        try (LocalModelServer server = LocalModelServer.start(hygienic((request, exchange) -> {
            OutputStream out = openSse(exchange);
            if (request.body().contains("functionResponse")) {
                frame(out, null, chunk(text("It is sunny in Paris."), "STOP"));
            } else {
                frame(out, null, chunk("[{\"functionCall\":{\"name\":\"get_weather\","
                        + "\"args\":{\"city\":\"Paris\"}}}]", "STOP"));
            }
        }))) {
            ModelRouter router = router("{\"providers\":{" + provider("gemini", server, KEY) + "}}");
            ChatRequest first = OpenAiWireFormatLocalServerTest.weatherRequest();

            ChatResponse call = router.chat(router.candidates("gemini/gemini-test", List.of(), null), first,
                    piece -> { }, () -> false);

            assertThat(call.aiMessage().toolExecutionRequests()).hasSize(1);
            ToolExecutionRequest request = call.aiMessage().toolExecutionRequests().get(0);
            assertThat(request.name()).isEqualTo("get_weather");
            assertThat(JSON.readTree(request.arguments())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
            JsonNode declaration = server.last().json().path("tools").get(0).path("functionDeclarations").get(0);
            assertThat(declaration.path("name").asText()).isEqualTo("get_weather");
            assertThat(declaration.path("description").asText()).isEqualTo("Current weather for a city");
            JsonNode parameters = declaration.has("parametersJsonSchema") ? declaration.path("parametersJsonSchema")
                    : declaration.path("parameters");
            assertThat(parameters.path("properties").path("city").path("type").asText()).isEqualToIgnoringCase("string");
            assertThat(parameters.path("required").get(0).asText()).isEqualTo("city");

            ChatRequest second = ChatRequest.builder()
                    .messages(SystemMessage.from("Be brief."), UserMessage.from("Weather in Paris?"),
                            AiMessage.from(request),
                            ToolExecutionResultMessage.from(request, "{\"sky\":\"sunny\"}"))
                    .toolSpecifications(OpenAiWireFormatLocalServerTest.WEATHER)
                    .build();
            ChatResponse answer = router.chat(router.candidates("gemini/gemini-test", List.of(), null), second,
                    piece -> { }, () -> false);

            assertThat(answer.aiMessage().text()).isEqualTo("It is sunny in Paris.");
            JsonNode contents = server.last().json().path("contents");
            assertThat(contents).hasSize(3);
            assertThat(contents.get(1).path("role").asText()).isEqualTo("model");
            assertThat(contents.get(1).path("parts").get(0).path("functionCall").path("name").asText())
                    .isEqualTo("get_weather");
            JsonNode functionResponse = contents.get(2).path("parts").get(0).path("functionResponse");
            assertThat(functionResponse.path("name").asText()).isEqualTo("get_weather");
            assertThat(functionResponse.path("response").toString()).contains("sunny");
        }
    }

    @Test
    void safetyFinishReasonIsATypedErrorNotAnEmptyAnswer() throws Exception {
        try (LocalModelServer server = LocalModelServer.start(hygienic((request, exchange) -> {
            OutputStream out = openSse(exchange);
            frame(out, null, "{\"candidates\":[{\"finishReason\":\"SAFETY\",\"index\":0,\"safetyRatings\":["
                    + "{\"category\":\"HARM_CATEGORY_DANGEROUS_CONTENT\",\"probability\":\"HIGH\"}]}],"
                    + "\"usageMetadata\":{\"promptTokenCount\":7,\"totalTokenCount\":7},"
                    + "\"modelVersion\":\"gemini-test\"}");
        }))) {
            ModelRouter router = router("{\"providers\":{" + provider("gemini", server, KEY) + "}}");

            assertThatThrownBy(() -> router.chat(router.candidates("gemini/gemini-test", List.of(), null),
                    ChatRequest.builder().messages(UserMessage.from("something dangerous")).build(),
                    piece -> { }, () -> false))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("safety")
                    .satisfies(e -> assertThat(((ModelException) e).attempts().get(0).kind())
                            .isEqualTo(ModelException.Kind.REJECTED))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
            assertThat(router.coolingDown()).isEmpty();
        }
    }

    @Test
    void blockedPromptWithoutCandidatesIsATypedError() throws Exception {
        try (LocalModelServer server = LocalModelServer.start(hygienic((request, exchange) -> {
            OutputStream out = openSse(exchange);
            frame(out, null, "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},"
                    + "\"usageMetadata\":{\"promptTokenCount\":7,\"totalTokenCount\":7},"
                    + "\"modelVersion\":\"gemini-test\"}");
        }))) {
            ModelRouter router = router("{\"providers\":{" + provider("gemini", server, KEY) + "}}");

            assertThatThrownBy(() -> router.chat(router.candidates("gemini/gemini-test", List.of(), null),
                    ChatRequest.builder().messages(UserMessage.from("blocked prompt")).build(),
                    piece -> { }, () -> false))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("promptFeedback.blockReason");
        }
    }

    @Test
    void status429FallsBackToASecondProviderAndCoolsTheFirstDown() throws Exception {
        try (LocalModelServer limited = LocalModelServer.start(hygienic(LocalModelServer.status(429,
                "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\","
                        + "\"status\":\"RESOURCE_EXHAUSTED\"}}")));
             LocalModelServer healthy = LocalModelServer.start(hygienic((request, exchange) -> {
                 OutputStream out = openSse(exchange);
                 frame(out, null, chunk(text("fine"), "STOP"));
             }))) {
            ModelRouter router = router("{\"providers\":{" + provider("a", limited, KEY) + ","
                    + provider("b", healthy, "AIza-second-key") + "},\"fallbacks\":[\"b/gemini-test\"]}");

            ChatResponse response = router.chat(router.candidates("a/gemini-test", List.of(), null),
                    ChatRequest.builder().messages(UserMessage.from("hi")).build(), piece -> { }, () -> false);

            assertThat(response.aiMessage().text()).isEqualTo("fine");
            assertThat(router.coolingDown()).containsOnlyKeys("a");
            assertThat(limited.last().header("x-goog-api-key")).isEqualTo(KEY);
            assertThat(healthy.last().header("x-goog-api-key")).isEqualTo("AIza-second-key");

            // Cooling down: the next call goes straight to b, a is not called again.
            int limitedHits = limited.hits();
            router.chat(router.candidates("a/gemini-test", List.of(), null),
                    ChatRequest.builder().messages(UserMessage.from("again")).build(), piece -> { }, () -> false);
            assertThat(limited.hits()).isEqualTo(limitedHits);
            assertThat(healthy.hits()).isEqualTo(2);
        }
    }
}
