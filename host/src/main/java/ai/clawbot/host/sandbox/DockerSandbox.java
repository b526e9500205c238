package ai.clawbot.host.sandbox;

import ai.clawbot.host.sandbox.ToolOutcome.SandboxRun;
import ai.clawbot.host.secrets.SecretsException;
import ai.clawbot.host.secrets.SecretsProvider;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Runs tool calls in hardened containers of the skill's image, kept warm per {@link PoolKey}: the first
 * call starts the container (create, attach stdio, start, MCP initialize); later calls reuse its tool
 * server. A call past its deadline (the manifest's timeout, counted from the call's start) or over its
 * output allowance kills its container; idle containers stop after a while; the whole pool is capped.
 */
public final class DockerSandbox implements Sandbox {

    private static final System.Logger LOG = System.getLogger(DockerSandbox.class.getName());

    private final DockerClient docker;
    private final SandboxSettings settings;
    private final SandboxObserver observer;
    private final ObjectMapper json = new ObjectMapper();
    private final JacksonMcpJsonMapper mcpJson = new JacksonMcpJsonMapper(json);
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final ContainerPool pool;
    private final SecretsProvider secrets;
    private final SecretMounts secretMounts = SecretMounts.onHostTmpfs();
    private final byte[] secretSalt = new java.security.SecureRandom().generateSeed(16);

    private DockerSandbox(DockerClient docker, SandboxSettings settings, SandboxObserver observer, SecretsProvider secrets) {
        this.docker = docker;
        this.settings = settings;
        this.observer = observer;
        this.secrets = secrets;
        this.pool = new ContainerPool(settings.maxLive(), settings.idleTimeout(), this::discard);
    }

    /** A sandbox on the given engine; removes containers an earlier run of the same gateway left behind. */
    public static DockerSandbox create(DockerClient docker, SandboxSettings settings, SandboxObserver observer) {
        return create(docker, settings, observer, names -> {
            if (names.isEmpty()) {
                return Map.of();
            }
            throw new SecretsException(SecretsException.Kind.MISSING, "no secrets vault is configured");
        });
    }

    /** As above, resolving the secrets a skill declares from {@code secrets} at dispatch. */
    public static DockerSandbox create(DockerClient docker, SandboxSettings settings, SandboxObserver observer,
                                       SecretsProvider secrets) {
        DockerSandbox sandbox = new DockerSandbox(docker, settings, observer, secrets);
        sandbox.sweepOrphans();
        return sandbox;
    }

    /** Thrown when the skill's image is not on this machine. */
    private static final class ImageMissing extends Exception {
        ImageMissing(String image) {
            super("sandbox image " + image + " is not built on this machine; build it with: claw sandbox build");
        }
    }

    @Override
    public ToolOutcome call(SandboxCall call) {
        long t0 = System.nanoTime();
        String image = call.skill().manifest().sandbox().image();
        Duration deadline = call.skill().manifest().permissions().resources().timeoutDuration();
        if (call.skill().manifest().permissions().workspace() != ai.clawbot.plugin.manifest.WorkspaceAccess.NONE) {
            java.util.Optional<String> refused = settings.workspaces().refusal(call.workspace());
            if (refused.isPresent()) {
                return new ToolOutcome.Failed("WORKSPACE_REFUSED", refused.get(), run(null, image, t0));
            }
        }
        Map<String, byte[]> resolved;
        try {
            resolved = secrets.resolve(call.skill().manifest().permissions().secrets());
        } catch (SecretsException e) {
            return new ToolOutcome.Failed("SECRET_UNAVAILABLE", e.getMessage(), run(null, image, t0));
        }
        PoolKey key = PoolKey.of(call, secretsDigest(resolved));
        WarmContainer wc;
        try {
            wc = pool.acquire(key, () -> start(call, key, resolved, t0, deadline), deadline);
        } catch (ImageMissing e) {
            return new ToolOutcome.Failed("SANDBOX_IMAGE_MISSING", e.getMessage(), run(null, image, t0));
        } catch (TimeoutException e) {
            return new ToolOutcome.TimedOut(deadline, run(null, image, t0));
        } catch (ContainerPool.PoolFullException e) {
            return new ToolOutcome.Failed("SANDBOX_BUSY", e.getMessage(), run(null, image, t0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ToolOutcome.Failed("INTERRUPTED", "the call was interrupted", run(null, image, t0));
        } catch (StartFailed e) {
            return e.outcome;
        } catch (Exception e) {
            return new ToolOutcome.Failed("SANDBOX_FAILED", "could not start the sandbox: " + rootMessage(e), run(null, image, t0));
        }
        boolean keep = false;
        try {
            CompletableFuture<CallToolResult> result = new CompletableFuture<>();
            wc.current.set(result);
            wc.transport.newCall();
            Map<String, Object> args = json.convertValue(call.args(), json.getTypeFactory()
                    .constructMapType(Map.class, String.class, Object.class));
            calls.submit(() -> {
                try {
                    result.complete(wc.client.callTool(new McpSchema.CallToolRequest(call.tool(), args)));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
            long remaining = deadline.toNanos() - (System.nanoTime() - t0);
            CallToolResult r = result.get(Math.max(remaining, 1), TimeUnit.NANOSECONDS);
            keep = true;
            return ok(r, run(wc.id, wc.imageId, t0));
        } catch (TimeoutException e) {
            return new ToolOutcome.TimedOut(deadline, run(wc.id, wc.imageId, t0));
        } catch (ExecutionException e) {
            return failed(wc, e, t0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ToolOutcome.Failed("INTERRUPTED", "the call was interrupted", run(wc.id, wc.imageId, t0));
        } finally {
            wc.current.set(null);
            pool.release(key, wc, keep);
        }
    }

    /** A start that failed with an outcome to report (the container is already gone). */
    private static final class StartFailed extends Exception {
        final transient ToolOutcome outcome;

        StartFailed(ToolOutcome outcome) {
            super(outcome.toString());
            this.outcome = outcome;
        }
    }

    /** A salted digest of the secret values: a rotated secret gives a new key, hence a fresh container. */
    private String secretsDigest(Map<String, byte[]> resolved) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(secretSalt);
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(resolved).entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(e.getValue());
                md.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private WarmContainer start(SandboxCall call, PoolKey key, Map<String, byte[]> resolved, long t0, Duration deadline)
            throws Exception {
        String image = call.skill().manifest().sandbox().image();
        String imageId;
        try {
            imageId = docker.inspectImageCmd(image).exec().getId();
        } catch (NotFoundException e) {
            throw new ImageMissing(image);
        }
        java.nio.file.Path secretDir = resolved.isEmpty() ? null : secretMounts.materialize(resolved, settings.user());
        EgressNetwork egress = null;
        String id;
        try {
            List<String> allow = call.skill().manifest().network().allow();
            if (!allow.isEmpty()) {
                egress = EgressNetwork.open(docker, allow, HardenedContainer.labels(settings, call), settings.egressResolver(),
                        new ai.clawbot.host.sandbox.egress.EgressListener() {
                            @Override
                            public void allowed(ai.clawbot.host.sandbox.egress.EgressEvent e) {
                                observer.egress(e);
                            }

                            @Override
                            public void refused(ai.clawbot.host.sandbox.egress.EgressEvent e) {
                                observer.egress(e);
                            }
                        });
            }
            id = HardenedContainer.create(docker, call, settings, imageId, key, secretDir, egress);
        } catch (Exception | Error e) {
            secretMounts.destroy(secretDir);
            if (egress != null) {
                egress.close();
            }
            throw e;
        }
        EgressNetwork net = egress;
        AtomicReference<WarmContainer> self = new AtomicReference<>();
        ContainerStdioTransport transport = null;
        ResultCallback.Adapter<Frame> attach = null;
        McpSyncClient client = null;
        try {
            // Flood callback runs on the attach thread: fail the call now and kill elsewhere, so that thread
            // keeps draining the stream the engine is waiting on.
            transport = new ContainerStdioTransport(mcpJson, settings.maxOutputBytes(), () -> {
                WarmContainer w = self.get();
                if (w != null) {
                    w.markDead();
                    CompletableFuture<CallToolResult> f = w.current.get();
                    if (f != null) {
                        f.completeExceptionally(new ContainerStdioTransport.OutputLimitException(settings.maxOutputBytes()));
                    }
                }
                calls.submit(() -> kill(id));
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
            CompletableFuture<Void> init = CompletableFuture.runAsync(c::initialize, calls);
            long remaining = deadline.toNanos() - (System.nanoTime() - t0);
            init.get(Math.max(remaining, 1), TimeUnit.NANOSECONDS);
            WarmContainer wc = new WarmContainer(id, imageId, key, transport, attach, client, secretDir, net);
            self.set(wc);
            return wc;
        } catch (TimeoutException e) {
            cleanup(id, client, attach);
            secretMounts.destroy(secretDir);
            closeQuietly(net);
            throw new TimeoutException("the tool server did not start within the deadline");
        } catch (ExecutionException e) {
            cleanup(id, client, attach);
            secretMounts.destroy(secretDir);
            closeQuietly(net);
            throw new StartFailed(new ToolOutcome.Failed("TOOL_SERVER_FAILED", "the tool server did not start: "
                    + rootMessage(e) + diagnostics(transport), run(id, imageId, t0)));
        } catch (Exception | Error e) {
            cleanup(id, client, attach);
            secretMounts.destroy(secretDir);
            closeQuietly(net);
            throw e;
        }
    }

    private ToolOutcome failed(WarmContainer wc, ExecutionException e, long t0) {
        if (wc.transport.flooded() || e.getCause() instanceof ContainerStdioTransport.OutputLimitException) {
            return new ToolOutcome.Failed("OUTPUT_LIMIT", "the tool wrote more than " + settings.maxOutputBytes()
                    + " bytes; its container was killed", run(wc.id, wc.imageId, t0));
        }
        return new ToolOutcome.Failed("TOOL_SERVER_FAILED", "the tool server did not answer: " + rootMessage(e)
                + diagnostics(wc.transport), run(wc.id, wc.imageId, t0));
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

    /** Drops a warm container: kill it, close its streams, remove it. */
    private void discard(WarmContainer wc) {
        wc.markDead();
        cleanup(wc.id, wc.client, wc.attach);
        secretMounts.destroy(wc.secretDir);
        closeQuietly(wc.egress);
    }

    private static void closeQuietly(EgressNetwork egress) {
        if (egress != null) {
            egress.close();
        }
    }

    private void cleanup(String id, McpSyncClient client, ResultCallback.Adapter<Frame> attach) {
        kill(id);
        if (client != null) {
            try {
                client.close();
            } catch (RuntimeException ignored) {
                // the transport is gone with the container
            }
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
        try {
            for (com.github.dockerjava.api.model.Network n : docker.listNetworksCmd()
                    .withFilter("label", List.of(HardenedContainer.LABEL_SANDBOX + "=1", HardenedContainer.LABEL_SCOPE + "=" + settings.scope()))
                    .exec()) {
                LOG.log(System.Logger.Level.INFO, "removing orphaned egress network " + n.getName());
                docker.removeNetworkCmd(n.getId()).exec();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not sweep orphaned egress networks: " + rootMessage(e));
        }
    }

    /** Containers kept warm right now. */
    public int warmCount() {
        return pool.size();
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
        pool.close();
        calls.shutdownNow();
    }
}
