package ai.clawbot.host.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.model.anthropic.internal.api.AnthropicStreamingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/** Sorts a failed call into retryable (fall over, cool the provider down) or not, with a short reason. */
final class Failures {

    record Classified(boolean retryable, String reason) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DETAIL = 160;
    private static final Set<String> RETRYABLE_ANTHROPIC_TYPES =
            Set.of("overloaded_error", "api_error", "rate_limit_error", "timeout_error");

    private Failures() {
    }

    static Classified classify(Throwable error) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        // The most telling cause wins, wherever it sits in the chain: the HTTP status first.
        for (Throwable t = error; t != null && seen.put(t, true) == null; t = t.getCause()) {
            if (t instanceof HttpException http) {
                return http(http.statusCode(), http.getMessage());
            }
        }
        seen.clear();
        for (Throwable t = error; t != null && seen.put(t, true) == null; t = t.getCause()) {
            if (t instanceof StreamAttempt.SilenceTimeout silence) {
                return new Classified(true, "timeout (" + silence.getMessage() + ")");
            }
            if (t instanceof dev.langchain4j.exception.TimeoutException
                    || t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
                return new Classified(true, "timeout");
            }
            if (t instanceof ConnectException) {
                return new Classified(true, "connection refused");
            }
            if (t instanceof UnresolvedModelServerException || t instanceof UnresolvedAddressException
                    || t instanceof UnknownHostException) {
                return new Classified(true, "unknown host");
            }
            if (t instanceof AnthropicStreamingException a) {
                return new Classified(RETRYABLE_ANTHROPIC_TYPES.contains(a.type()),
                        "provider error " + a.type() + detail(a.getMessage()));
            }
            if (t instanceof RetriableException) {
                return new Classified(true, "error" + detail(t.getMessage()));
            }
            if (t instanceof NonRetriableException) {
                return new Classified(false, "error" + detail(t.getMessage()));
            }
            if (t instanceof IOException) {
                return new Classified(true, "I/O error" + detail(t.getMessage()));
            }
        }
        return new Classified(false, "error" + detail(error.getMessage()));
    }

    /** 5xx, 429 and 408 pass with time; other statuses (400, 401, 403, 404, ...) need a fix. */
    static Classified http(int status, String body) {
        boolean retryable = status >= 500 || status == 429 || status == 408;
        return new Classified(retryable, "HTTP " + status + detail(providerMessage(body)));
    }

    /** OpenAI and Anthropic both put the human text in {@code error.message}; else the raw body. */
    private static String providerMessage(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.isTextual()) {
                return error.textValue();
            }
            return error.path("message").isTextual() ? error.path("message").textValue()
                    : error.path("type").isTextual() ? error.path("type").textValue() : null;
        } catch (IOException | RuntimeException notJson) {
            // fall through to the raw body
        }
        return body;
    }

    private static String detail(String message) {
        if (message == null || message.isBlank()) {
            return "";
        }
        String oneLine = message.replaceAll("\\s+", " ").strip();
        return ": " + (oneLine.length() > MAX_DETAIL ? oneLine.substring(0, MAX_DETAIL) + "…" : oneLine);
    }
}
