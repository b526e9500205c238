package ai.clawbot.host.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A low-level WebSocket test client (the JDK's {@link java.net.http.WebSocket}) for hostile tests: it
 * sends whatever text, binary, fragmented or ping frames it is told to, never correlates anything, and
 * records every text message and the close the server sends. Every wait is bounded.
 */
public final class WsProbe implements AutoCloseable {

    /**
     * One client for every probe: a JDK HttpClient per socket would cost a selector thread each. Its
     * default executor uses platform threads, so the client side never competes with the gateway's
     * virtual threads for carrier threads (a starved client would look like a starved server).
     */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** What the server sent as its close frame. */
    public record Close(int code, String reason) {
    }

    private final WebSocket socket;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private volatile Throwable error;

    private WsProbe(URI uri) throws Exception {
        StringBuilder partial = new StringBuilder();
        socket = HTTP.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public void onOpen(WebSocket ws) {
                        ws.request(Long.MAX_VALUE);
                    }

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            messages.add(partial.toString());
                            partial.setLength(0);
                        }
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                        messages.add("<binary frame from server: " + data.remaining() + " bytes>");
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                        closed.complete(new Close(status, reason));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable t) {
                        error = t;
                        closed.complete(new Close(-1, "error: " + t));
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    public static WsProbe open(URI uri) throws Exception {
        return new WsProbe(uri);
    }

    /** Sends one text frame (or fragment); false when the socket can no longer send. */
    public boolean text(CharSequence data, boolean last) {
        return await(socket.sendText(data, last));
    }

    public boolean text(CharSequence data) {
        return text(data, true);
    }

    public boolean binary(byte[] data, boolean last) {
        return await(socket.sendBinary(ByteBuffer.wrap(data), last));
    }

    public boolean ping(byte[] data) {
        return await(socket.sendPing(ByteBuffer.wrap(data)));
    }

    private static boolean await(CompletableFuture<WebSocket> send) {
        try {
            send.get(10, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | IllegalStateException e) {
            return false;
        } catch (TimeoutException e) {
            throw new AssertionError("a send did not complete within 10 s (server not reading?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The next text message, or null after the timeout. */
    public String next(Duration timeout) throws InterruptedException {
        return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next text message, or null at once when the server has closed and nothing is left. */
    public String nextOrClosed(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            String m = messages.poll(20, TimeUnit.MILLISECONDS);
            if (m != null) {
                return m;
            }
            if (closed.isDone()) {
                return messages.poll();
            }
        }
        return null;
    }

    /** The server's close frame, or null if none came within the timeout. */
    public Close awaitClose(Duration timeout) throws InterruptedException {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public Close closeNow() {
        return closed.getNow(null);
    }

    public Throwable error() {
        return error;
    }

    /** Sends a normal close (so the server's read loop ends), then drops the connection. */
    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(1, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // already closing or gone
        }
        socket.abort();
    }
}
