package ai.clawbot.host.sandbox;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpError;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.Disposable;

/**
 * A running sandbox container with its MCP session to the skill's tool server, kept for later calls of
 * the same {@link PoolKey}. The pool serialises calls of one key with that key's lock.
 */
final class WarmContainer {

    final String id;
    final String imageId;
    final PoolKey key;
    final ContainerStdioTransport transport;
    final ResultCallback.Adapter<Frame> attach;
    final McpAsyncClient client;
    final java.nio.file.Path secretDir;
    final java.nio.file.Path settingsDir;
    final EgressNetwork egress;
    final AtomicReference<CompletableFuture<CallToolResult>> current = new AtomicReference<>();
    /** A liveness ping waiting for its answer; failed as soon as the container's stdio ends. */
    private final AtomicReference<CompletableFuture<Object>> ping = new AtomicReference<>();
    private volatile long lastUsed = System.nanoTime();
    private volatile boolean dead;

    WarmContainer(String id, String imageId, PoolKey key, ContainerStdioTransport transport,
                  ResultCallback.Adapter<Frame> attach, McpAsyncClient client, java.nio.file.Path secretDir,
                  java.nio.file.Path settingsDir, EgressNetwork egress) {
        this.id = id;
        this.imageId = imageId;
        this.key = key;
        this.transport = transport;
        this.attach = attach;
        this.client = client;
        this.secretDir = secretDir;
        this.settingsDir = settingsDir;
        this.egress = egress;
    }

    void used() {
        lastUsed = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - lastUsed;
    }

    /** Marks the container unusable (killed, crashed, flooded); the pool drops it. */
    void markDead() {
        dead = true;
    }

    boolean dead() {
        return dead;
    }

    /**
     * Whether the tool server answers a ping on the container's stdio within {@code wait}: the connection every call
     * goes through, so a container removed or stopped behind the pool's back ({@code claw sandbox prune},
     * {@code docker rm}) fails it as soon as its attach stream ends. Any answer counts, an error too.
     */
    boolean answersPing(Duration wait) {
        CompletableFuture<Object> pong = new CompletableFuture<>();
        ping.set(pong);
        if (transport.closed()) { // ended before the ping was watched: stdioEnded() may have missed it
            return false;
        }
        Disposable request = null;
        try {
            request = client.ping().subscribe(pong::complete, pong::completeExceptionally, () -> pong.complete(null));
            pong.get(Math.max(wait.toNanos(), 1), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException e) {
            return e.getCause() instanceof McpError; // the server answered, with an error: it is there
        } catch (TimeoutException e) {
            return false; // no answer in the call's time: a fresh container then
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true; // the call itself ends INTERRUPTED
        } catch (RuntimeException e) {
            return false;
        } finally {
            ping.set(null);
            if (request != null) {
                request.dispose();
            }
        }
    }

    /** The attach stream ended (the container stopped or was removed): a ping waiting for its answer fails now. */
    void stdioEnded() {
        CompletableFuture<Object> pong = ping.get();
        if (pong != null) {
            pong.completeExceptionally(new java.io.EOFException("the container's stdio ended"));
        }
    }
}
