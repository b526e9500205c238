package ai.clawbot.plugin.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The network a skill may reach: {@code none} (the default), or an allowlist of {@code host:port}.
 * In YAML: {@code network: none} or {@code network: {allow: ["api.example.com:443"]}}.
 */
public record NetworkPolicy(List<String> allow) {

    public NetworkPolicy {
        allow = allow == null ? List.of() : List.copyOf(allow);
    }

    public static NetworkPolicy none() {
        return new NetworkPolicy(List.of());
    }

    public boolean isNone() {
        return allow.isEmpty();
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static NetworkPolicy fromJson(JsonNode node) {
        if (node == null || node.isNull() || (node.isTextual() && node.asText().equals("none"))) {
            return none();
        }
        List<String> hosts = new ArrayList<>();
        node.path("allow").forEach(h -> hosts.add(h.asText()));
        return new NetworkPolicy(hosts);
    }

    @JsonValue
    JsonNode toJson() {
        if (isNone()) {
            return JsonNodeFactory.instance.textNode("none");
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        allow.forEach(o.putArray("allow")::add);
        return o;
    }
}
