package ai.clawbot.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;

/** One request of a client command: the payload, or the gateway's error as a {@link Failed}. */
final class Rpc {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The gateway answered with an error; the message is its code and text. */
    static final class Failed extends IOException {
        Failed(String message) {
            super(message);
        }
    }

    private Rpc() {
    }

    static ObjectNode params() {
        return JSON.createObjectNode();
    }

    static JsonNode call(GatewayClient client, String method, JsonNode params) throws IOException {
        JsonNode res = client.request(method, params, TIMEOUT);
        if (!res.path("ok").asBoolean()) {
            JsonNode e = res.path("error");
            String detail = e.at("/details/code").asText("");
            throw new Failed(method + ": " + e.path("code").asText() + (detail.isEmpty() ? "" : " (" + detail + ")") + ": "
                    + e.path("message").asText());
        }
        return res.path("payload");
    }

    static void print(PrintWriter out, JsonNode node) {
        try {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (IOException e) {
            out.println(node);
        }
        out.flush();
    }
}
