package ai.clawbot.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CLI's client of a running gateway: one WebSocket speaking the gateway protocol (wait for
 * {@code connect.challenge}, {@code connect} with the token as an operator, then requests correlated by id).
 */
final class GatewayClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final CompletableFuture<JsonNode> challenge = new CompletableFuture<>();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final java.util.List<java.util.function.Consumer<JsonNode>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Throwable closedBy;
    // The JDK socket refuses a send while the previous one is still completing ("Send pending"), even after the
    // peer has answered it; so every send waits for the one before.
    private final Object sendOrder = new Object();
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

    private GatewayClient(URI uri, Duration timeout) throws IOException {
        StringBuilder partial = new StringBuilder();
        try {
            socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(timeout)
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
                            failAll(new IOException("the gateway closed the connection (" + status + " " + reason + ")"));
                            return null;
                        }

                        @Override
                        public void onError(WebSocket ws, Throwable error) {
                            failAll(error);
                        }
                    }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("no gateway answers at " + uri + " (start it with `claw gateway`)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Opens the socket and completes the handshake; a refused {@code connect} is an IOException with the gateway's reason. */
    static GatewayClient connect(URI uri, String token, Duration timeout) throws IOException {
        GatewayClient c = new GatewayClient(uri, timeout);
        try {
            JsonNode first = await(c.challenge, timeout, "connect.challenge");
            if (!"connect.challenge".equals(first.path("event").asText())) {
                throw new IOException("expected connect.challenge, got " + first);
            }
            ObjectNode params = JSON.createObjectNode().put("minProtocol", 4).put("maxProtocol", 4).put("role", "operator");
            params.putObject("client").put("id", "cli").put("version", "0.1.0").put("platform", "java").put("mode", "cli");
            params.putObject("auth").put("token", token);
            JsonNode res = c.request("connect", params, timeout);
            if (!res.path("ok").asBoolean()) {
                throw new IOException("the gateway refused the connection: " + res.at("/error/message").asText(res.toString()));
            }
            return c;
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    /** Sends a request and returns its whole {@code res} frame. */
    JsonNode request(String method, JsonNode params, Duration timeout) throws IOException {
        String id = "c" + ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode req = JSON.createObjectNode().put("type", "req").put("id", id).put("method", method);
        req.set("params", params);
        send(req.toString(), f);
        try {
            return await(f, timeout, method);
        } finally {
            pending.remove(id);
        }
    }

    private void send(String text, CompletableFuture<JsonNode> answer) {
        synchronized (sendOrder) {
            lastSend = lastSend.handle((r, e) -> null)
                    .thenCompose(x -> socket.sendText(text, true))
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            answer.completeExceptionally(e instanceof java.util.concurrent.CompletionException c
                                    && c.getCause() != null ? c.getCause() : e);
                        }
                    });
        }
    }

    private void onFrame(String text) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (IOException e) {
            return; // not ours to judge; the request times out if its answer never comes
        }
        if ("res".equals(frame.path("type").asText())) {
            CompletableFuture<JsonNode> f = pending.get(frame.path("id").asText());
            if (f != null) {
                f.complete(frame);
            }
        } else if ("event".equals(frame.path("type").asText())) {
            if (!challenge.complete(frame)) { // the first event is the challenge; later ones go to the listeners
                listeners.forEach(l -> l.accept(frame));
            }
        }
    }

    /** Receives every event after the handshake (on the socket's thread: hand work off, do not block). */
    void onEvent(java.util.function.Consumer<JsonNode> listener) {
        listeners.add(listener);
    }

    /** Why the connection ended, or null while it is open. */
    Throwable closedBy() {
        return closedBy;
    }

    private void failAll(Throwable error) {
        closedBy = error;
        listeners.forEach(l -> l.accept(JSON.createObjectNode().put("type", "closed").put("reason", String.valueOf(error.getMessage()))));
        challenge.completeExceptionally(error);
        pending.values().forEach(f -> f.completeExceptionally(error));
    }

    private static JsonNode await(CompletableFuture<JsonNode> f, Duration timeout, String what) throws IOException {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("no answer to " + what + " within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
}
