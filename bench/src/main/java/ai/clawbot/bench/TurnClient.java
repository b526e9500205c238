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

    /**
     * A finished turn: wall nanos, nanos to the ack and to the run's first event, the final event's state and text,
     * and the tool events.
     */
    record Turn(long wallNanos, long ackNanos, long firstEventNanos, String state, String text, List<JsonNode> toolEvents) {
    }

    private final WsConn ws;
    private final java.net.Socket socket;
    private long ids;

    private TurnClient(WsConn ws) {
        this.ws = ws;
        this.socket = socketOf(ws);
    }

    /**
     * WsConn keeps its socket to itself (and is shared with the other benches, so it stays as it is); the quick-ack
     * mode needs it to set an option after each read.
     */
    private static java.net.Socket socketOf(WsConn ws) {
        try {
            java.lang.reflect.Field f = WsConn.class.getDeclaredField("socket");
            f.setAccessible(true);
            return (java.net.Socket) f.get(ws);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("WsConn has no socket field", e);
        }
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

    Turn chat(String sessionKey, String message) throws IOException {
        return chat(sessionKey, message, false);
    }

    /**
     * One agent turn; fails unless the ack is ok and the run ends in a final event. With {@code quickAck}, Linux
     * TCP_QUICKACK is set after every frame read, so this client acknowledges at once instead of after the delayed-ACK
     * timer (~40 ms): a server that writes small frames without TCP_NODELAY (Nagle) is then not held waiting for it.
     */
    Turn chat(String sessionKey, String message, boolean quickAck) throws IOException {
        ObjectNode params = JSON.createObjectNode().put("sessionKey", sessionKey).put("message", message)
                .put("idempotencyKey", UUID.randomUUID().toString());
        long t0 = System.nanoTime();
        String id = send("chat.send", params);
        long ack = 0;
        long first = 0;
        String runId = null;
        List<JsonNode> tools = new ArrayList<>();
        while (true) {
            String frame = ws.read();
            if (quickAck) {
                socket.setOption(jdk.net.ExtendedSocketOptions.TCP_QUICKACK, true);
            }
            JsonNode f = JSON.readTree(frame);
            if ("res".equals(f.path("type").asText()) && id.equals(f.path("id").asText())) {
                ack = System.nanoTime() - t0;
                runId = ok(f).path("runId").asText();
                continue;
            }
            JsonNode p = f.path("payload");
            if (runId == null || !runId.equals(p.path("runId").asText())) {
                continue;
            }
            if (first == 0) {
                first = System.nanoTime() - t0;
            }
            String event = f.path("event").asText();
            if ("agent".equals(event) && "tool".equals(p.path("stream").asText())) {
                tools.add(p.path("data"));
            } else if ("chat".equals(event) && List.of("final", "error", "aborted").contains(p.path("state").asText())) {
                long wall = System.nanoTime() - t0;
                if (!"final".equals(p.path("state").asText())) {
                    throw new IOException("turn ended " + p.path("state").asText() + ": " + p);
                }
                return new Turn(wall, ack, first, p.path("state").asText(), text(p.path("message")), tools);
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
