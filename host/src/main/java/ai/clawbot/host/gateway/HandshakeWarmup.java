package ai.clawbot.host.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Takes the first WebSocket connection's one-time costs (Helidon's upgrade, the RFC 6455 frame check, the
 * socket, JSON frames, the handshake's refusal path) off the first real client: while the gateway is still
 * starting it connects to itself over loopback, reads the challenge, sends {@code connect} and is refused
 * ("starting"), as any early client would be. Measured: the first handshake after ready went from ~20 ms to
 * about a warm one's. Best effort: a warm-up that fails changes nothing but the first handshake's time.
 */
final class HandshakeWarmup {

    private static final System.Logger LOG = System.getLogger(HandshakeWarmup.class.getName());

    private HandshakeWarmup() {
    }

    /** Starts the warm-up against {@code uri} on a daemon thread; the future completes when it is over. */
    static CompletableFuture<Void> start(URI uri) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("gateway-handshake-warmup").start(() -> {
            try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
                CompletableFuture<Void> closed = new CompletableFuture<>();
                http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        if (data.toString().contains("connect.challenge")) {
                            ws.sendText("{\"type\":\"req\",\"id\":\"warmup\",\"method\":\"connect\",\"params\":{"
                                    + "\"minProtocol\":" + Handshake.PROTOCOL + ",\"maxProtocol\":" + Handshake.PROTOCOL
                                    + ",\"client\":{\"id\":\"gateway-warmup\",\"version\":\"" + Gateway.VERSION
                                    + "\",\"platform\":\"jvm\",\"mode\":\"backend\"},\"auth\":{}}}", true);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                        closed.complete(null);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                }).get(2, TimeUnit.SECONDS);
                closed.get(2, TimeUnit.SECONDS);
            } catch (Exception | LinkageError e) {
                LOG.log(System.Logger.Level.DEBUG, "handshake warm-up did not complete: " + e);
            } finally {
                done.complete(null);
            }
        });
        return done;
    }
}
