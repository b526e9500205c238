package ai.clawbot.host.gateway;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading request params with typed errors that name the field. */
final class Params {

    private Params() {
    }

    static String requireText(JsonNode params, String field, String method) throws GatewayException {
        JsonNode n = params.get(field);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw invalid(method + " needs a non-empty string '" + field + "'", field);
        }
        return n.asText();
    }

    /** The first of {@code fields} present (aliases such as {@code key} / {@code sessionKey}). */
    static String requireTextOf(JsonNode params, String method, String... fields) throws GatewayException {
        for (String f : fields) {
            if (params.has(f)) {
                return requireText(params, f, method);
            }
        }
        throw invalid(method + " needs a non-empty string '" + fields[0] + "'", fields[0]);
    }

    static String optionalText(JsonNode params, String field, String method) throws GatewayException {
        JsonNode n = params.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw invalid(method + " '" + field + "' must be a string", field);
        }
        return n.asText();
    }

    static int optionalInt(JsonNode params, String field, int fallback, int min, int max, String method)
            throws GatewayException {
        JsonNode n = params.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            throw invalid(method + " '" + field + "' must be an integer from " + min + " to " + max, field);
        }
        return n.asInt();
    }

    static GatewayException invalid(String message, String field) {
        return new GatewayException(ErrorShape.of("INVALID_REQUEST", message,
                GatewaySocket.details("INVALID_PARAMS").put("field", field)));
    }
}
