package ai.clawbot.plugin.net;

import ai.clawbot.plugin.api.ToolException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A remote HTTP API a skill calls with its key, through the sandbox's egress proxy ({@link ProxyEnv}): redirects
 * are not followed, one deadline bounds the connection and each answer, the key goes only in its header, and every
 * message this class writes is one line, capped, and without the key (servers and proxies echo keys in errors).
 */
public final class HttpApi {

    private static final int MAX_DETAIL = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final KeyHeader keyHeader;
    private final List<Pattern> keyShapes;
    private final HttpClient http;
    private final Duration deadline;

    private HttpApi(String name, KeyHeader keyHeader, List<Pattern> keyShapes, HttpClient http, Duration deadline) {
        this.name = name;
        this.keyHeader = keyHeader;
        this.keyShapes = List.copyOf(keyShapes);
        this.http = http;
        this.deadline = deadline;
    }

    /**
     * The API called {@code name} in messages ("the Gemini API"), reached through the proxy {@code env} names.
     * {@code keyShapes} are patterns of this API's keys, scrubbed from messages even when they are not the caller's
     * key (OpenAI's {@code sk-…}).
     */
    public static HttpApi create(String name, KeyHeader keyHeader, Map<String, String> env, Duration deadline,
                                 Pattern... keyShapes) {
        return new HttpApi(name, keyHeader, List.of(keyShapes), HttpClient.newBuilder().proxy(ProxyEnv.of(env))
                .connectTimeout(deadline).followRedirects(HttpClient.Redirect.NEVER).build(), deadline);
    }

    /** {@code baseUrl} (an operator setting: trailing slashes and blanks dropped) followed by {@code path}. */
    public static URI uri(String baseUrl, String path) {
        String t = baseUrl.trim();
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return URI.create(t + path);
    }

    /**
     * Sends {@code request} with the key in its header and the deadline. Any answer is returned, whatever its
     * status; no answer is a {@code TIMEOUT}, {@code UNREACHABLE} or {@code INTERRUPTED} tool error.
     */
    public Answer send(HttpRequest.Builder request, String key) throws ToolException {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(deadline).header(keyHeader.name(), keyHeader.prefix() + key).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new ToolException("TIMEOUT", name + " did not answer within " + deadline.toSeconds() + " s");
        } catch (IOException e) {
            throw new ToolException("UNREACHABLE", "cannot reach " + name + ": " + scrub(e.getMessage(), key));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("INTERRUPTED", "interrupted");
        }
        return new Answer(response.statusCode(), response.body());
    }

    /** What a failed answer says ({@link Answer#errorMessage()}), fit for a tool error. */
    public String detail(Answer answer, String key) {
        return scrub(answer.errorMessage(), key);
    }

    /**
     * {@code message} on one line, capped, without {@code key}, its last four characters (servers show a masked
     * key as {@code sk-...abcd}) or anything shaped like one of this API's keys.
     */
    public String scrub(String message, String key) {
        String m = message == null ? "" : message.replaceAll("\\s+", " ").strip();
        if (key != null && !key.isEmpty()) {
            m = m.replace(key, "***");
            if (key.length() > 8) {
                m = m.replace(key.substring(key.length() - 4), "****");
            }
        }
        for (Pattern shape : keyShapes) {
            m = shape.matcher(m).replaceAll("***");
        }
        return m.length() > MAX_DETAIL ? m.substring(0, MAX_DETAIL) + "…" : m;
    }

    /** How the key is sent: header {@code name} with the value {@code prefix + key}. */
    public record KeyHeader(String name, String prefix) {

        /** {@code Authorization: Bearer KEY}. */
        public static KeyHeader bearer() {
            return new KeyHeader("Authorization", "Bearer ");
        }

        /** The key alone in header {@code name} ({@code x-goog-api-key}). */
        public static KeyHeader named(String name) {
            return new KeyHeader(name, "");
        }
    }

    /** An answer of any status and its body, as text. */
    public record Answer(int status, String body) {

        public boolean ok() {
            return status == 200;
        }

        /** The body as JSON, or empty when it is not JSON. */
        public Optional<JsonNode> json() {
            try {
                return Optional.ofNullable(JSON.readTree(body)).filter(j -> !j.isMissingNode());
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        /** The error's message in the {@code {"error": {"message": …}}} form OpenAI and Google use, else the body. */
        public String errorMessage() {
            return json().map(j -> j.path("error").path("message")).filter(JsonNode::isTextual).map(JsonNode::asText)
                    .orElse(body);
        }
    }
}
