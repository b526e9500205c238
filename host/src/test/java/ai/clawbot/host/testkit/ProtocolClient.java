package ai.clawbot.host.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real WebSocket client (the JDK's) speaking the gateway protocol, for tests: it waits for the
 * server's {@code connect.challenge}, sends {@code connect}, and correlates responses by id.
 */
public final class ProtocolClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    private ProtocolClient(URI uri) throws Exception {
        StringBuilder partial = new StringBuilder();
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            onFrame(partial.toString());
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                        closeCode.complete(status);
                        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("closed " + status)));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closeCode.completeExceptionally(error);
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    /** Opens a socket without connecting at the protocol level. */
    public static ProtocolClient open(URI uri) throws Exception {
        return new ProtocolClient(uri);
    }

    /** Opens a socket and completes the handshake with the token; fails the test if refused. */
    public static ProtocolClient connect(URI uri, String token) throws Exception {
        ProtocolClient c = open(uri);
        JsonNode res = c.sendConnect(token);
        if (!res.path("ok").asBoolean()) {
            throw new AssertionError("connect refused: " + res);
        }
        return c;
    }

    private void onFrame(String text) {
        try {
            JsonNode frame = JSON.readTree(text);
            if ("res".equals(frame.path("type").asText()) && frame.hasNonNull("id")
                    && pending.containsKey(frame.get("id").asText())) {
                pending.remove(frame.get("id").asText()).complete(frame);
            } else {
                events.add(frame);
            }
        } catch (Exception e) {
            events.add(JSON.createObjectNode().put("unparseable", text));
        }
    }

    /** Next non-response frame (events, uncorrelated errors). */
    public JsonNode nextEvent(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends {@code connect} (after reading the challenge); returns the whole {@code res} frame. */
    public JsonNode sendConnect(String token) throws Exception {
        return sendConnect(token, null);
    }

    /** Sends {@code connect} asking for the given scopes (null: the default, all the token grants). */
    public JsonNode sendConnect(String token, java.util.List<String> scopes) throws Exception {
        JsonNode challenge = nextEvent(Duration.ofSeconds(5));
        if (challenge == null || !"connect.challenge".equals(challenge.path("event").asText())) {
            throw new AssertionError("expected connect.challenge first, got " + challenge);
        }
        ObjectNode params = JSON.createObjectNode().put("minProtocol", 4).put("maxProtocol", 4);
        params.putObject("client").put("id", "test").put("version", "1").put("platform", "java").put("mode", "cli");
        params.put("role", "operator");
        if (scopes != null) {
            scopes.forEach(params.putArray("scopes")::add);
        }
        if (token != null) {
            params.putObject("auth").put("token", token);
        }
        return request("connect", params);
    }

    /** Sends a request and waits for its response frame. */
    public JsonNode request(String method, JsonNode params) throws Exception {
        String id = "r" + ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode req = JSON.createObjectNode().put("type", "req").put("id", id).put("method", method);
        req.set("params", params);
        socket.sendText(req.toString(), true).get(5, TimeUnit.SECONDS);
        return f.get(60, TimeUnit.SECONDS);
    }

    public JsonNode request(String method) throws Exception {
        return request(method, JSON.createObjectNode());
    }

    /** The close code the server sent, waiting up to the timeout. */
    public int awaitClose(Duration timeout) throws Exception {
        return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static ObjectNode params() {
        return JSON.createObjectNode();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
