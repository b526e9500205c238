package ai.clawbot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One operator connection to the gateway for the agent-turn bench: requests, and whole chat turns timed from the
 * {@code chat.send} frame leaving to the run's final {@code chat} event arriving. Runs on the blocking
 * {@link WsConn}, so no client-side executor hop is counted.
 */
final class TurnClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A finished turn: wall nanos, nanos to the ack, the final event's state and text, and the tool events. */
    record Turn(long wallNanos, long ackNanos, String state, String text, List<JsonNode> toolEvents) {
    }

    private final WsConn ws;
    private long ids;

    private TurnClient(WsConn ws) {
        this.ws = ws;
    }

    /** Opens, reads the challenge, connects with the token (all scopes it grants). */
    static TurnClient connect(int port, String token) throws IOException {
        WsConn ws = WsConn.open(port, 60_000);
        TurnClient c = new TurnClient(ws);
        JsonNode challenge = JSON.readTree(ws.read());
        if (!"connect.challenge".equals(challenge.path("event").asText())) {
            ws.close();
            throw new IOException("expected connect.challenge, got " + challenge);
        }
        ObjectNode params = JSON.createObjectNode().put("minProtocol", 4).put("maxProtocol", 4).put("role", "operator");
        params.putObject("client").put("id", "bench").put("version", "0").put("platform", "linux").put("mode", "cli");
        params.putObject("auth").put("token", token);
        ok(c.request("connect", params));
        return c;
    }

    /** Sends a request and returns its {@code res} frame (events read meanwhile are dropped). */
    JsonNode request(String method, ObjectNode params) throws IOException {
        String id = send(method, params);
        while (true) {
            JsonNode f = JSON.readTree(ws.read());
            if ("res".equals(f.path("type").asText()) && id.equals(f.path("id").asText())) {
                return f;
            }
        }
    }

    /** One agent turn; fails unless the ack is ok and the run ends in a final event. */
    Turn chat(String sessionKey, String message) throws IOException {
        ObjectNode params = JSON.createObjectNode().put("sessionKey", sessionKey).put("message", message)
                .put("idempotencyKey", UUID.randomUUID().toString());
        long t0 = System.nanoTime();
        String id = send("chat.send", params);
        long ack = 0;
        String runId = null;
        List<JsonNode> tools = new ArrayList<>();
        while (true) {
            JsonNode f = JSON.readTree(ws.read());
            if ("res".equals(f.path("type").asText()) && id.equals(f.path("id").asText())) {
                ack = System.nanoTime() - t0;
                runId = ok(f).path("runId").asText();
                continue;
            }
            JsonNode p = f.path("payload");
            if (runId == null || !runId.equals(p.path("runId").asText())) {
                continue;
            }
            String event = f.path("event").asText();
            if ("agent".equals(event) && "tool".equals(p.path("stream").asText())) {
                tools.add(p.path("data"));
            } else if ("chat".equals(event) && List.of("final", "error", "aborted").contains(p.path("state").asText())) {
                long wall = System.nanoTime() - t0;
                if (!"final".equals(p.path("state").asText())) {
                    throw new IOException("turn ended " + p.path("state").asText() + ": " + p);
                }
                return new Turn(wall, ack, p.path("state").asText(), text(p.path("message")), tools);
            }
        }
    }

    private String send(String method, ObjectNode params) throws IOException {
        String id = "b" + (++ids);
        ObjectNode req = JSON.createObjectNode().put("type", "req").put("id", id).put("method", method);
        req.set("params", params);
        ws.send(req.toString());
        return id;
    }

    static JsonNode ok(JsonNode res) throws IOException {
        if (!res.path("ok").asBoolean()) {
            throw new IOException("request failed: " + res);
        }
        return res.path("payload");
    }

    static String text(JsonNode message) {
        StringBuilder b = new StringBuilder();
        for (JsonNode part : message.path("content")) {
            if ("text".equals(part.path("type").asText())) {
                b.append(part.path("text").asText());
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        ws.close();
    }
}
