package ai.clawbot.host.sandbox;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

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
}
