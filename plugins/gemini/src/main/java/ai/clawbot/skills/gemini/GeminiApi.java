package ai.clawbot.skills.gemini;

import ai.clawbot.plugin.api.ToolException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import ai.clawbot.plugin.net.ProxyEnv;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * The two Gemini REST calls the skill makes, over the JDK client through the sandbox's egress proxy. The key goes
 * only in the {@code x-goog-api-key} header: never in a URL, and never echoed into an error message.
 */
final class GeminiApi {

    static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DETAIL = 300;

    private final HttpClient http;
    private final Duration deadline;

    private GeminiApi(HttpClient http, Duration deadline) {
        this.http = http;
        this.deadline = deadline;
    }

    static GeminiApi create(Map<String, String> env, Duration deadline) {
        return new GeminiApi(HttpClient.newBuilder().proxy(ProxyEnv.of(env)).connectTimeout(deadline)
                .followRedirects(HttpClient.Redirect.NEVER).build(), deadline);
    }

    /** {@code POST <base>/models/{model}:generateContent}. */
    JsonNode generate(String baseUrl, String key, String model, JsonNode body) throws ToolException {
        URI uri = URI.create(trim(baseUrl) + "/models/" + model + ":generateContent");
        return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .header("Content-Type", "application/json"), key);
    }

    /** {@code GET <base>/models}. */
    JsonNode models(String baseUrl, String key) throws ToolException {
        return send(HttpRequest.newBuilder(URI.create(trim(baseUrl) + "/models?pageSize=200")).GET(), key);
    }

    private JsonNode send(HttpRequest.Builder request, String key) throws ToolException {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(deadline).header("x-goog-api-key", key)
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new ToolException("TIMEOUT", "the Gemini API did not answer within " + deadline.toSeconds() + " s");
        } catch (IOException e) {
            throw new ToolException("UNREACHABLE", "cannot reach the Gemini API: " + scrub(e.getMessage(), key));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("INTERRUPTED", "interrupted");
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            json = null;
        }
        if (response.statusCode() != 200) {
            String message = json == null ? response.body() : json.path("error").path("message").asText(response.body());
            throw new ToolException(response.statusCode() == 429 ? "RATE_LIMITED" : "HTTP_" + response.statusCode(),
                    "the Gemini API answered " + response.statusCode() + ": " + scrub(message, key));
        }
        if (json == null) {
            throw new ToolException("BAD_RESPONSE", "the Gemini API answered something that is not JSON");
        }
        return json;
    }

    static String trim(String baseUrl) {
        String t = baseUrl.trim();
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    /** One line, capped, and without the key should a proxy or the API have echoed it. */
    static String scrub(String message, String key) {
        String m = message == null ? "" : message.replaceAll("\\s+", " ").strip();
        if (key != null && !key.isEmpty()) {
            m = m.replace(key, "***");
        }
        return m.length() > MAX_DETAIL ? m.substring(0, MAX_DETAIL) + "…" : m;
    }
}
