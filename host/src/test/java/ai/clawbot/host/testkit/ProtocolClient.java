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
        this(uri, Map.of());
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
        return requestAsync(method, params).get(60, TimeUnit.SECONDS);
    }

    /** Sends a request without waiting for its response (one that waits, e.g. for an approval); the future has it. */
    public CompletableFuture<JsonNode> requestAsync(String method, JsonNode params) throws Exception {
        String id = "r" + ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode req = JSON.createObjectNode().put("type", "req").put("id", id).put("method", method);
        req.set("params", params);
        socket.sendText(req.toString(), true).get(5, TimeUnit.SECONDS);
        return f;
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

    // ---- Additions for the protocol suite (gateway/*Test): nothing above changes behaviour. ----

    /** Opens a socket sending extra upgrade headers (e.g. {@code Origin}), without connecting at the protocol level. */
    public static ProtocolClient open(URI uri, Map<String, String> headers) throws Exception {
        return new ProtocolClient(uri, headers);
    }

    private ProtocolClient(URI uri, Map<String, String> headers) throws Exception {
        StringBuilder partial = new StringBuilder();
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(b::header);
        socket = b.buildAsync(uri, new WebSocket.Listener() {
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

    /** The {@code connect} params {@link #sendConnect(String)} sends, to be changed by a test. */
    public static ObjectNode connectParams(String token) {
        ObjectNode params = JSON.createObjectNode().put("minProtocol", 4).put("maxProtocol", 4);
        params.putObject("client").put("id", "test").put("version", "1").put("platform", "java").put("mode", "cli");
        params.put("role", "operator");
        if (token != null) {
            params.putObject("auth").put("token", token);
        }
        return params;
    }

    /** Reads the server's first frame, which must be {@code connect.challenge}; returns the whole event frame. */
    public JsonNode awaitChallenge() throws InterruptedException {
        JsonNode challenge = nextEvent(Duration.ofSeconds(5));
        if (challenge == null || !"connect.challenge".equals(challenge.path("event").asText())) {
            throw new AssertionError("expected connect.challenge first, got " + challenge);
        }
        return challenge;
    }

    /** Reads the challenge, then sends {@code connect} with exactly {@code params}; returns the {@code res} frame. */
    public JsonNode connectWith(JsonNode params) throws Exception {
        awaitChallenge();
        return request("connect", params);
    }

    /** Sends one text frame as is (a hostile or malformed frame); replies to it arrive as events. */
    public void sendRaw(String text) throws Exception {
        socket.sendText(text, true).get(5, TimeUnit.SECONDS);
    }

    /**
     * Events up to and including the first that {@code stop} accepts, in arrival order.
     *
     * @throws AssertionError when none does within {@code timeout} (the message lists what did arrive)
     */
    public java.util.List<JsonNode> eventsUntil(java.util.function.Predicate<JsonNode> stop, Duration timeout)
            throws InterruptedException {
        java.util.List<JsonNode> seen = new java.util.ArrayList<>();
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            JsonNode e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no matching event within " + timeout + "; got " + seen.size() + " others: "
                        + seen.stream().map(JsonNode::toString).map(x -> x.length() > 300 ? x.substring(0, 300) : x).toList());
            }
            seen.add(e);
            if (stop.test(e)) {
                return seen;
            }
        }
    }

    /** The events received so far and not yet taken, without waiting. */
    public java.util.List<JsonNode> drainEvents() {
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        events.drainTo(out);
        return out;
    }

    /** Whether the server has closed the socket (or it failed). */
    public boolean isClosed() {
        return closeCode.isDone();
    }

    /** Closes with a close frame (1000), as a polite client does, and waits for the server's answer. */
    public void closeGracefully() throws Exception {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        awaitClose(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        socket.abort();
    }
}
