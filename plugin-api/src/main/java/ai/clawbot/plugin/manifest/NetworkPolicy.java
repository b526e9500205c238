package ai.clawbot.plugin.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The network a skill may reach: {@code none} (the default), an allowlist of {@code host:port}, and the
 * {@link NetworkGrant}s an operator may fill in with their own endpoints (within the bounds signed here).
 * In YAML: {@code network: none} or {@code network: {allow: ["api.example.com:443"], grants: [...]}}.
 */
public record NetworkPolicy(List<String> allow, List<NetworkGrant> grants) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public NetworkPolicy {
        allow = allow == null ? List.of() : List.copyOf(allow);
        grants = grants == null ? List.of() : List.copyOf(grants);
    }

    public NetworkPolicy(List<String> allow) {
        this(allow, List.of());
    }

    public static NetworkPolicy none() {
        return new NetworkPolicy(List.of());
    }

    /** No fixed host and nothing the operator could grant. */
    public boolean isNone() {
        return allow.isEmpty() && grants.isEmpty();
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static NetworkPolicy fromJson(JsonNode node) {
        if (node == null || node.isNull() || (node.isTextual() && node.asText().equals("none"))) {
            return none();
        }
        List<String> hosts = new ArrayList<>();
        node.path("allow").forEach(h -> hosts.add(h.asText()));
        List<NetworkGrant> grants = new ArrayList<>();
        for (JsonNode g : node.path("grants")) {
            grants.add(JSON.convertValue(g, NetworkGrant.class));
        }
        return new NetworkPolicy(hosts, grants);
    }

    @JsonValue
    JsonNode toJson() {
        if (isNone()) {
            return JsonNodeFactory.instance.textNode("none");
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        allow.forEach(o.putArray("allow")::add);
        if (!grants.isEmpty()) {
            o.set("grants", JSON.valueToTree(grants));
        }
        return o;
    }
}
