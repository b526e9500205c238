package ai.clawbot.skills.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.testkit.SkillHarness;
import ai.clawbot.testkit.model.LocalModelServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gemini skill against a local server speaking Gemini's documented wire format ({@code POST
 * /v1beta/models/{m}:generateContent}, {@code GET /v1beta/models}). Every request is checked for key hygiene:
 * the key only in {@code x-goog-api-key}, never {@code key=} in a URL.
 */
class GeminiSkillWireFormatLocalServerTest {

    private static final String KEY = "AIza-skill-test-key-42";
    private final List<String> uris = new CopyOnWriteArrayList<>();
    private LocalModelServer server;
    private SkillHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
        if (server != null) {
            server.close();
        }
        assertThat(uris).allSatisfy(uri -> assertThat(uri).doesNotContain("key=").doesNotContain(KEY));
    }

    private SkillHarness start(String answerJson) throws Exception {
        return start(LocalModelServer.status(200, answerJson));
    }

    private SkillHarness start(LocalModelServer.Responder responder) throws Exception {
        server = LocalModelServer.start((request, exchange) -> {
            uris.add(exchange.getRequestURI().toString());
            responder.respond(request, exchange);
        });
        harness = SkillHarness.of(new GeminiSkill(Map.of(), Duration.ofSeconds(10)))
                .setting(GeminiSkill.BASE_URL, server.baseUrl() + "/v1beta")
                .secret(GeminiSkill.KEY_SECRET, KEY + "\n");
        return harness;
    }

    private static String reply(String text, String finishReason) {
        return "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":" + LocalModelServer.quote(text)
                + "}]},\"finishReason\":\"" + finishReason + "\",\"index\":0}],\"usageMetadata\":{"
                + "\"promptTokenCount\":9,\"candidatesTokenCount\":4,\"totalTokenCount\":13},"
                + "\"modelVersion\":\"gemini-2.5-flash\"}";
    }

    @Test
    void generateSendsPromptSystemAndConfigAndReturnsTheText() throws Exception {
        start(reply("The tide turns at six.", "STOP"));

        harness.call("generate", "prompt", "When does the tide turn?", "system", "Be brief.",
                "model", "gemini-test", "max_output_tokens", 64, "temperature", 0.2).ok()
                .textIs("The tide turns at six.").structuredAt("/usage/totalTokenCount", "13");

        LocalModelServer.Received sent = server.last();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-test:generateContent");
        assertThat(sent.header("x-goog-api-key")).isEqualTo(KEY);
        JsonNode body = sent.json();
        assertThat(body.at("/contents/0/role").asText()).isEqualTo("user");
        assertThat(body.at("/contents/0/parts/0/text").asText()).isEqualTo("When does the tide turn?");
        assertThat(body.at("/systemInstruction/parts/0/text").asText()).isEqualTo("Be brief.");
        assertThat(body.at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(64);
        assertThat(body.at("/generationConfig/temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.at("/generationConfig/responseMimeType").isMissingNode()).isTrue();
    }

    @Test
    void jsonSchemaRequestsStructuredOutputAndPassesAValidAnswer() throws Exception {
        start(reply("{\"city\":\"Paris\",\"population\":2100000}", "STOP"));
        Object schema = Map.of("type", "object", "required", List.of("city"),
                "properties", Map.of("city", Map.of("type", "string"), "population", Map.of("type", "integer")));

        JsonNode out = harness.call("generate", "prompt", "Extract the city.", "json_schema", schema).ok()
                .structured();

        assertThat(out.at("/json/city").asText()).isEqualTo("Paris");
        JsonNode config = server.last().json().path("generationConfig");
        assertThat(config.path("responseMimeType").asText()).isEqualTo("application/json");
        assertThat(config.at("/responseJsonSchema/required/0").asText()).isEqualTo("city");
    }

    @Test
    void aStructuredAnswerThatBreaksTheSchemaIsReportedNotPassedOn() throws Exception {
        start(reply("{\"town\":\"Paris\"}", "STOP"));
        Object schema = Map.of("type", "object", "required", List.of("city"),
                "properties", Map.of("city", Map.of("type", "string")));

        ToolException refused = harness.call("generate", "prompt", "Extract the city.", "json_schema", schema)
                .refused("INVALID_STRUCTURED_ANSWER");

        assertThat(refused.getMessage()).contains("city");
    }

    @Test
    void aStructuredAnswerThatIsNotJsonIsReported() throws Exception {
        start(reply("Paris, I think", "STOP"));

        harness.call("generate", "prompt", "Extract the city.", "json_schema", Map.of("type", "object"))
                .refused("INVALID_STRUCTURED_ANSWER");
    }

    @Test
    void workspaceFilesGoInlineAsBase64() throws Exception {
        start(reply("A note about tides.", "STOP"));
        harness.write("notes/tides.md", "# Tides\nHigh water at six.\n");

        harness.call("generate", "prompt", "Summarise", "files", List.of("notes/tides.md")).ok();

        JsonNode inline = server.last().json().at("/contents/0/parts/1/inlineData");
        assertThat(inline.path("mimeType").asText()).isEqualTo("text/markdown");
        assertThat(new String(Base64.getDecoder().decode(inline.path("data").asText()), StandardCharsets.UTF_8))
                .isEqualTo("# Tides\nHigh water at six.\n");
    }

    @Test
    void pathsOutsideTheWorkspaceAreRefusedBeforeAnyRequest() throws Exception {
        start(reply("never", "STOP"));
        Path outside = Files.createTempFile("gemini-outside", ".txt");
        try {
            Files.writeString(outside, "secret");
            Files.createSymbolicLink(harness.workspace().resolve("link.txt"), outside);

            for (String path : List.of("../etc/passwd", outside.toString(), "link.txt")) {
                harness.call("generate", "prompt", "Summarise", "files", List.of(path)).refused("OUTSIDE_WORKSPACE");
            }
            assertThat(server.hits()).isZero();
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void safetyStopAndBlockedPromptAreTypedRefusals() throws Exception {
        start(reply("", "SAFETY"));
        harness.call("generate", "prompt", "something").refused("BLOCKED");

        server.respondWith(LocalModelServer.status(200, "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},"
                + "\"usageMetadata\":{\"promptTokenCount\":3}}"));
        assertThat(harness.call("generate", "prompt", "something").refused("BLOCKED").getMessage())
                .contains("blockReason SAFETY");
    }

    @Test
    void apiErrorsAreTypedAndNeverEchoTheKey() throws Exception {
        start(LocalModelServer.status(400, "{\"error\":{\"code\":400,\"message\":\"API key not valid: " + KEY
                + "\",\"status\":\"INVALID_ARGUMENT\"}}"));

        ToolException refused = harness.call("generate", "prompt", "hi").refused("HTTP_400");

        assertThat(refused.getMessage()).contains("API key not valid").doesNotContain(KEY);
        server.respondWith(LocalModelServer.status(429, "{\"error\":{\"code\":429,\"message\":\"quota\"}}"));
        harness.call("generate", "prompt", "hi").refused("RATE_LIMITED");
    }

    @Test
    void withoutTheSecretTheCallIsRefusedAndNothingIsSent() throws Exception {
        server = LocalModelServer.start(LocalModelServer.status(200, reply("x", "STOP")));
        harness = SkillHarness.of(new GeminiSkill(Map.of(), Duration.ofSeconds(10)))
                .setting(GeminiSkill.BASE_URL, server.baseUrl() + "/v1beta");

        harness.call("generate", "prompt", "hi").refused("NO_KEY");
        assertThat(server.hits()).isZero();
    }

    @Test
    void modelsListsTheGeneratingModels() throws Exception {
        start("{\"models\":[{\"name\":\"models/gemini-2.5-flash\",\"displayName\":\"Gemini 2.5 Flash\","
                + "\"inputTokenLimit\":1048576,\"outputTokenLimit\":65536,"
                + "\"supportedGenerationMethods\":[\"generateContent\",\"countTokens\"]},"
                + "{\"name\":\"models/text-embedding-004\",\"supportedGenerationMethods\":[\"embedContent\"]}]}");

        harness.call("models").ok().textIs("gemini-2.5-flash").structuredAt("/models/0/outputTokenLimit", "65536");

        assertThat(server.last().method()).isEqualTo("GET");
        assertThat(server.last().path()).isEqualTo("/v1beta/models");
        assertThat(server.last().header("x-goog-api-key")).isEqualTo(KEY);
    }
}
