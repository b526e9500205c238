package ai.clawbot.host.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The protocol's frames, one JSON object per text frame, discriminated on {@code type}:
 * {@code req {id, method, params}}, {@code res {id, ok, payload | error}}, {@code event {event, payload, seq}}.
 */
public final class Frames {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Inbound frames are read strictly: one object, nothing after it, no repeated keys. */
    private static final com.fasterxml.jackson.databind.ObjectReader STRICT = JSON.reader()
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Frames() {
    }

    /** An inbound request. */
    public record Request(String id, String method, JsonNode params) {
    }

    /** Parses an inbound frame; anything but a well-formed {@code req} is an {@code INVALID_REQUEST}. */
    public static Request parseRequest(String text) throws GatewayException {
        JsonNode node;
        try {
            node = STRICT.readTree(text);
        } catch (IOException e) {
            throw new GatewayException(ErrorShape.of("INVALID_REQUEST", "frame is not JSON"));
        }
        if (node == null || !node.isObject()) {
            throw new GatewayException(ErrorShape.of("INVALID_REQUEST", "frame must be a JSON object"));
        }
        if (!"req".equals(node.path("type").asText())) {
            throw new GatewayException(ErrorShape.of("INVALID_REQUEST", "expected a frame of type 'req'"));
        }
        JsonNode id = node.get("id");
        JsonNode method = node.get("method");
        if (id == null || !(id.isTextual() || id.isNumber()) || id.asText().isEmpty()) {
            throw new GatewayException(ErrorShape.of("INVALID_REQUEST", "req needs a string 'id'"));
        }
        if (method == null || !method.isTextual() || method.asText().isEmpty()) {
            throw new GatewayException(ErrorShape.of("INVALID_REQUEST", "req needs a string 'method'"));
        }
        JsonNode params = node.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            throw new GatewayException(ErrorShape.of("INVALID_REQUEST", "req 'params' must be an object"));
        }
        return new Request(id.asText(), method.asText(), params == null || params.isNull() ? JSON.createObjectNode() : params);
    }

    public static String ok(String id, Object payload) {
        ObjectNode o = JSON.createObjectNode().put("type", "res").put("id", id).put("ok", true);
        o.set("payload", tree(payload));
        return o.toString();
    }

    /** A payload as a tree; one that already is a tree is used as is (valueToTree would copy it). */
    private static JsonNode tree(Object payload) {
        return payload instanceof JsonNode n ? n : JSON.valueToTree(payload);
    }

    public static String error(String id, ErrorShape error) {
        ObjectNode o = JSON.createObjectNode().put("type", "res");
        if (id == null) {
            o.putNull("id");
        } else {
            o.put("id", id);
        }
        o.put("ok", false);
        o.set("error", JSON.valueToTree(error));
        return o.toString();
    }

    public static String event(String event, Object payload, long seq) {
        ObjectNode o = JSON.createObjectNode().put("type", "event").put("event", event);
        o.set("payload", tree(payload));
        o.put("seq", seq);
        return o.toString();
    }
}
