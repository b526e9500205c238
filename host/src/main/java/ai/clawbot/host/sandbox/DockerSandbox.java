package ai.clawbot.host.sandbox;

import ai.clawbot.host.sandbox.ToolOutcome.SandboxRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Runs each tool call in a fresh hardened container of the skill's image: create, attach stdio, start,
 * speak MCP to the skill's tool server, then kill and remove the container whatever happened. The call's
 * deadline is the manifest's timeout; past it the container is killed and the outcome is {@code TimedOut}.
 */
public final class DockerSandbox implements Sandbox {

    private static final System.Logger LOG = System.getLogger(DockerSandbox.class.getName());

    private final DockerClient docker;
    private final SandboxSettings settings;
    private final SandboxObserver observer;
    private final ObjectMapper json = new ObjectMapper();
    private final JacksonMcpJsonMapper mcpJson = new JacksonMcpJsonMapper(json);
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

    private DockerSandbox(DockerClient docker, SandboxSettings settings, SandboxObserver observer) {
        this.docker = docker;
        this.settings = settings;
        this.observer = observer;
    }

    /** A sandbox on the given engine; removes containers an earlier run of the same gateway left behind. */
    public static DockerSandbox create(DockerClient docker, SandboxSettings settings, SandboxObserver observer) {
        DockerSandbox sandbox = new DockerSandbox(docker, settings, observer);
        sandbox.sweepOrphans();
        return sandbox;
    }

    @Override
    public ToolOutcome call(SandboxCall call) {
        long t0 = System.nanoTime();
        String image = call.skill().manifest().sandbox().image();
        Duration deadline = call.skill().manifest().permissions().resources().timeoutDuration();
        String id = null;
        McpSyncClient client = null;
        ResultCallback.Adapter<Frame> attach = null;
        ContainerStdioTransport transport = null;
        try {
            try {
                docker.inspectImageCmd(image).exec();
            } catch (NotFoundException e) {
                return new ToolOutcome.Failed("SANDBOX_IMAGE_MISSING", "sandbox image " + image
                        + " is not built on this machine; build it with sandbox/images/build-images.sh", run(null, image, t0));
            }
            id = HardenedContainer.create(docker, call, settings);
            String containerId = id;
            CompletableFuture<CallToolResult> result = new CompletableFuture<>();
            // Called on the attach thread: kill elsewhere, so that thread keeps draining the stream the
            // engine is waiting on, and fail the call now rather than at its deadline.
            transport = new ContainerStdioTransport(mcpJson, settings.maxOutputBytes(), () -> {
                result.completeExceptionally(new ContainerStdioTransport.OutputLimitException(settings.maxOutputBytes()));
                calls.submit(() -> kill(containerId));
            });
            attach = docker.attachContainerCmd(id).withStdIn(transport.stdin()).withStdOut(true).withStdErr(true)
                    .withFollowStream(true).exec(transport.frames());
            attach.awaitStarted(10, TimeUnit.SECONDS);
            docker.startContainerCmd(id).exec();
            observer.started(id, call);
            client = McpClient.sync(transport)
                    .clientInfo(new McpSchema.Implementation("clawbot-gateway", "0.1.0"))
                    .initializationTimeout(deadline.plusSeconds(1))
                    .requestTimeout(deadline.plusSeconds(1))
                    .build();
            McpSyncClient c = client;
            Map<String, Object> args = json.convertValue(call.args(), json.getTypeFactory()
                    .constructMapType(Map.class, String.class, Object.class));
            calls.submit(() -> {
                try {
                    c.initialize();
                    result.complete(c.callTool(new McpSchema.CallToolRequest(call.tool(), args)));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
            long remaining = deadline.toNanos() - (System.nanoTime() - t0);
            CallToolResult r = result.get(Math.max(remaining, 1), TimeUnit.NANOSECONDS);
            return ok(r, run(id, image, t0));
        } catch (TimeoutException e) {
            kill(id);
            return new ToolOutcome.TimedOut(deadline, run(id, image, t0));
        } catch (ExecutionException e) {
            if (transport != null && transport.flooded()) {
                return new ToolOutcome.Failed("OUTPUT_LIMIT", "the tool wrote more than " + settings.maxOutputBytes()
                        + " bytes; its container was killed", run(id, image, t0));
            }
            return new ToolOutcome.Failed("TOOL_SERVER_FAILED", "the tool server did not answer: " + rootMessage(e)
                    + diagnostics(transport), run(id, image, t0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ToolOutcome.Failed("INTERRUPTED", "the call was interrupted", run(id, image, t0));
        } catch (RuntimeException | java.io.IOException e) {
            return new ToolOutcome.Failed("SANDBOX_FAILED", "could not run the sandbox: " + rootMessage(e), run(id, image, t0));
        } finally {
            if (client != null) {
                client.close();
            }
            if (attach != null) {
                try {
                    attach.close();
                } catch (java.io.IOException ignored) {
                    // the stream dies with the container anyway
                }
            }
            remove(id);
        }
    }

    private ToolOutcome ok(CallToolResult r, SandboxRun run) {
        String text = r.content() == null ? "" : r.content().stream()
                .filter(c -> c instanceof McpSchema.TextContent)
                .map(c -> ((McpSchema.TextContent) c).text())
                .collect(Collectors.joining("\n"));
        JsonNode structured = r.structuredContent() == null ? null : json.valueToTree(r.structuredContent());
        return new ToolOutcome.Ok(text, structured, Boolean.TRUE.equals(r.isError()), run);
    }

    private static SandboxRun run(String id, String image, long t0) {
        return new SandboxRun(id, image, (System.nanoTime() - t0) / 1_000_000);
    }

    private void kill(String id) {
        if (id == null) {
            return;
        }
        try {
            docker.killContainerCmd(id).exec();
        } catch (RuntimeException ignored) {
            // already stopped
        }
    }

    private void remove(String id) {
        if (id == null) {
            return;
        }
        try {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            observer.removed(id);
        } catch (NotFoundException ignored) {
            observer.removed(id);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove sandbox container " + id + ": " + e.getMessage()
                    + " (it will be swept at the next start)");
        }
    }

    /** Removes every container this gateway's state folder left behind (a crash, a kill -9). */
    void sweepOrphans() {
        List<Container> left;
        try {
            left = docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(HardenedContainer.LABEL_SANDBOX, "1", HardenedContainer.LABEL_SCOPE, settings.scope()))
                    .exec();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not sweep orphaned sandboxes: " + rootMessage(e));
            return;
        }
        for (Container c : left) {
            LOG.log(System.Logger.Level.INFO, "removing orphaned sandbox container " + c.getId());
            remove(c.getId());
        }
    }

    private static String diagnostics(ContainerStdioTransport t) {
        String tail = t == null ? "" : t.stderrTail().strip();
        return tail.isEmpty() ? "" : " (tool server stderr: " + tail.substring(Math.max(0, tail.length() - 500)) + ")";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }
}
