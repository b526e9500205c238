package ai.clawbot.host.sandbox;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * An MCP client transport over a container's attached stdio: requests are written as JSON lines to the
 * container's stdin, responses are read as lines from its stdout frames. Stdout is bounded; stderr keeps
 * only a tail for diagnostics and is never parsed.
 */
final class ContainerStdioTransport implements McpClientTransport {

    private static final int STDERR_TAIL = 4096;

    private final McpJsonMapper mapper;
    private final QueueInputStream stdin = new QueueInputStream();
    private final Sinks.Many<JSONRPCMessage> inbound = Sinks.many().unicast().onBackpressureBuffer();
    private final BoundedLines stdout;
    private final StringBuilder stderr = new StringBuilder();
    private volatile boolean flooded;
    private volatile boolean closed;
    private final Runnable onClosed;

    /**
     * @param onFlood  run (on the attach thread) when the output allowance is exceeded
     * @param onClosed run (on the attach thread) once the attach stream ended, after {@link #closed()} turned true
     */
    ContainerStdioTransport(McpJsonMapper mapper, long maxOutputBytes, Runnable onFlood, Runnable onClosed) {
        this.mapper = mapper;
        this.onClosed = onClosed;
        this.stdout = new BoundedLines(maxOutputBytes, this::onLine, () -> {
            flooded = true;
            onFlood.run();
        });
    }

    /** Raised when a container writes more than its output allowance. */
    static final class OutputLimitException extends RuntimeException {
        OutputLimitException(long max) {
            super("the tool server wrote more than " + max + " bytes of output");
        }
    }

    InputStream stdin() {
        return stdin;
    }

    boolean flooded() {
        return flooded;
    }

    /** The attach stream ended: the container stopped or was killed. */
    boolean closed() {
        return closed;
    }

    /** Starts a new call's output allowance. */
    void newCall() {
        stdout.reset();
    }

    String stderrTail() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    /** The docker-java callback that feeds this transport from the attach stream. */
    ResultCallback.Adapter<Frame> frames() {
        return new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                if (frame.getStreamType() == StreamType.STDERR) {
                    synchronized (stderr) {
                        stderr.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        if (stderr.length() > STDERR_TAIL) {
                            stderr.delete(0, stderr.length() - STDERR_TAIL);
                        }
                    }
                } else {
                    stdout.feed(frame.getPayload());
                }
            }

            @Override
            public void onComplete() {
                closed = true;
                onClosed.run();
                super.onComplete();
            }

            @Override
            public void onError(Throwable throwable) {
                closed = true;
                onClosed.run();
                super.onError(throwable);
            }
        };
    }

    private void onLine(String line) {
        try {
            inbound.tryEmitNext(McpSchema.deserializeJsonRpcMessage(mapper, line));
        } catch (IOException | IllegalArgumentException e) {
            // Not protocol: a skill printing to stdout. Keep it with stderr for diagnostics, never forward it.
            synchronized (stderr) {
                stderr.append("[stdout] ").append(line, 0, Math.min(line.length(), 200)).append('\n');
            }
        }
    }

    @Override
    public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
        return Mono.fromRunnable(() -> inbound.asFlux()
                .flatMap(message -> Mono.just(message).transform(handler))
                .subscribe(m -> { }, e -> { }));
    }

    @Override
    public Mono<Void> sendMessage(JSONRPCMessage message) {
        return Mono.fromCallable(() -> {
            stdin.offer((mapper.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
            return null;
        }).then();
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> {
            stdin.close();
            inbound.tryEmitComplete();
        });
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return mapper.convertValue(data, typeRef);
    }
}
