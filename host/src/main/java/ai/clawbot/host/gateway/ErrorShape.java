package ai.clawbot.host.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The protocol's error object: {@code {code, message, details?, retryable?, retryAfterMs?}}.
 * {@code code} is one of the protocol's codes ({@code INVALID_REQUEST}, {@code NOT_FOUND},
 * {@code UNAVAILABLE}, {@code FORBIDDEN}, ...); {@code details.code} narrows it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorShape(String code, String message, JsonNode details, Boolean retryable, Long retryAfterMs) {

    public static ErrorShape of(String code, String message) {
        return new ErrorShape(code, message, null, null, null);
    }

    public static ErrorShape of(String code, String message, JsonNode details) {
        return new ErrorShape(code, message, details, null, null);
    }

    public ErrorShape retryable(long afterMs) {
        return new ErrorShape(code, message, details, true, afterMs);
    }
}
