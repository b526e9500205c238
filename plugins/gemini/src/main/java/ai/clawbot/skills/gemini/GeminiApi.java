package ai.clawbot.skills.gemini;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.net.HttpApi;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

/**
 * The two Gemini REST calls the skill makes, over the JDK client through the sandbox's egress proxy. The key goes
 * only in the {@code x-goog-api-key} header: never in a URL, and never echoed into an error message.
 */
final class GeminiApi {

    static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

    private final HttpApi api;

    private GeminiApi(HttpApi api) {
        this.api = api;
    }

    static GeminiApi create(Map<String, String> env, Duration deadline) {
        return new GeminiApi(HttpApi.create("the Gemini API", HttpApi.KeyHeader.named("x-goog-api-key"), env, deadline));
    }

    /** {@code POST <base>/models/{model}:generateContent}. */
    JsonNode generate(String baseUrl, String key, String model, JsonNode body) throws ToolException {
        return send(HttpRequest.newBuilder(HttpApi.uri(baseUrl, "/models/" + model + ":generateContent"))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .header("Content-Type", "application/json"), key);
    }

    /** {@code GET <base>/models}. */
    JsonNode models(String baseUrl, String key) throws ToolException {
        return send(HttpRequest.newBuilder(HttpApi.uri(baseUrl, "/models?pageSize=200")).GET(), key);
    }

    /** {@code message} fit for a tool error: one line, capped, without the key. */
    String scrub(String message, String key) {
        return api.scrub(message, key);
    }

    private JsonNode send(HttpRequest.Builder request, String key) throws ToolException {
        HttpApi.Answer answer = api.send(request.header("Accept", "application/json"), key);
        if (!answer.ok()) {
            throw new ToolException(answer.status() == 429 ? "RATE_LIMITED" : "HTTP_" + answer.status(),
                    "the Gemini API answered " + answer.status() + ": " + api.detail(answer, key));
        }
        return answer.json().orElseThrow(() -> new ToolException("BAD_RESPONSE",
                "the Gemini API answered something that is not JSON"));
    }
}
