package ai.clawbot.host.sandbox;

import ai.clawbot.host.sandbox.ToolOutcome.SandboxRun;
import ai.clawbot.host.secrets.SecretsException;
import ai.clawbot.host.secrets.SecretsProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import reactor.core.Disposable;

/**
 * Runs tool calls in hardened containers of the skill's image, kept warm per {@link PoolKey}: the first
 * call starts the container (create, attach stdio, start, MCP initialize); later calls reuse its tool
 * server. A call past its deadline (the manifest's timeout, counted from the call's start) or over its
 * output allowance kills its container; idle containers stop after a while; the whole pool is capped.
 */
public final class DockerSandbox implements Sandbox {

    private final SandboxSettings settings;
    private final ObjectMapper json = new ObjectMapper();
    private final JacksonMcpJsonMapper mcpJson = new JacksonMcpJsonMapper(json);
    // docker-java reaches the engine over a Unix socket through JNA: a blocking native read pins a virtual thread's
    // carrier, and a few slow engine calls (a container start under load) would starve every virtual thread of the
    // gateway, its connections' writers among them. So engine work runs on platform threads, and a virtual caller
    // parks (unmounted) while it waits.
    private final ExecutorService calls = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("sandbox-call-", 0).factory());
    private final ContainerPool pool;
    private final SecretsProvider secrets;
    private final ContainerLifecycle containers;
    private final byte[] secretSalt = new java.security.SecureRandom().generateSeed(16);

    private DockerSandbox(DockerClient docker, SandboxSettings settings, SandboxObserver observer, SecretsProvider secrets) {
        this.settings = settings;
        this.secrets = secrets;
        this.containers = new ContainerLifecycle(docker, settings, observer, mcpJson, calls);
        this.pool = new ContainerPool(settings.maxLive(), settings.idleTimeout(), wc -> containers.discard(wc),
                WarmContainer::answersPing);
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
        sandbox.containers.sweepOrphans();
        return sandbox;
    }


    @Override
    public ToolOutcome call(SandboxCall call) {
        if (!Thread.currentThread().isVirtual()) {
            return callHere(call);
        }
        java.util.concurrent.Future<ToolOutcome> running = calls.submit(() -> callHere(call));
        try {
            return running.get();
        } catch (InterruptedException e) {
            running.cancel(true); // the platform thread stops the call and releases its container itself
            Thread.currentThread().interrupt();
            return new ToolOutcome.Failed("INTERRUPTED", "the call was interrupted",
                    ContainerLifecycle.run(null, call.skill().manifest().sandbox().image(), System.nanoTime()));
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private ToolOutcome callHere(SandboxCall call) {
        long t0 = System.nanoTime();
        String image = call.skill().manifest().sandbox().image();
        Duration deadline = call.skill().manifest().permissions().resources().timeoutDuration();
        if (call.skill().manifest().permissions().workspace() != ai.clawbot.plugin.manifest.WorkspaceAccess.NONE) {
            java.util.Optional<String> refused = settings.workspaces().refusal(call.workspace());
            if (refused.isPresent()) {
                return new ToolOutcome.Failed("WORKSPACE_REFUSED", refused.get(), ContainerLifecycle.run(null, image, t0));
            }
        }
        if (!call.skill().config().valid()) {
            return new ToolOutcome.Failed("SETTINGS_INVALID", "skill '" + call.skill().id() + "' is misconfigured in openclaw.json: "
                    + call.skill().config().problems().stream().map(Object::toString)
                    .collect(Collectors.joining("; ")), ContainerLifecycle.run(null, image, t0));
        }
        Map<String, byte[]> resolved;
        try {
            Map<String, byte[]> all = new java.util.LinkedHashMap<>(secrets.resolve(call.skill().manifest().permissions().secrets()));
            // Credentials the operator named in settings (format: secret-ref) travel as a secret file too.
            SettingsSecrets.resolve(call.skill().manifest().settingsSchema(), call.skill().config().settings(),
                    "plugins.entries." + call.skill().id() + ".config", secrets)
                    .ifPresent(file -> all.put(ai.clawbot.plugin.api.ToolContext.SETTINGS_SECRETS, file));
            resolved = all;
        } catch (SecretsException e) {
            return new ToolOutcome.Failed("SECRET_UNAVAILABLE", e.getMessage(), ContainerLifecycle.run(null, image, t0));
        }
        PoolKey key = PoolKey.of(call, secretsDigest(resolved));
        WarmContainer wc;
        try {
            wc = pool.acquire(key, () -> containers.start(call, key, resolved, t0, deadline), deadline);
        } catch (ContainerLifecycle.ImageMissing e) {
            return new ToolOutcome.Failed(e.code, e.getMessage(), ContainerLifecycle.run(null, image, t0));
        } catch (TimeoutException e) {
            return new ToolOutcome.TimedOut(deadline, ContainerLifecycle.run(null, image, t0));
        } catch (ContainerPool.PoolFullException e) {
            return new ToolOutcome.Failed("SANDBOX_BUSY", e.getMessage(), ContainerLifecycle.run(null, image, t0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ToolOutcome.Failed("INTERRUPTED", "the call was interrupted", ContainerLifecycle.run(null, image, t0));
        } catch (ContainerLifecycle.StartFailed e) {
            return e.outcome;
        } catch (Exception e) {
            return new ToolOutcome.Failed("SANDBOX_FAILED", "could not start the sandbox: " + ContainerLifecycle.rootMessage(e), ContainerLifecycle.run(null, image, t0));
        }
        boolean keep = false;
        Disposable request = null;
        try {
            CompletableFuture<CallToolResult> result = new CompletableFuture<>();
            wc.current.set(result);
            wc.transport.newCall();
            Map<String, Object> args = json.convertValue(call.args(), json.getTypeFactory()
                    .constructMapType(Map.class, String.class, Object.class));
            // The request is written here (to the stdin queue) and its answer completes `result` on the attach
            // stream's thread, so the call needs no thread but this one, which waits out what is left of the deadline.
            try {
                request = wc.client.callTool(new McpSchema.CallToolRequest(call.tool(), args))
                        .subscribe(result::complete, result::completeExceptionally,
                                () -> result.completeExceptionally(new IllegalStateException("the tool server sent no result")));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
            long remaining = deadline.toNanos() - (System.nanoTime() - t0);
            CallToolResult r = result.get(Math.max(remaining, 1), TimeUnit.NANOSECONDS);
            keep = true;
            return ok(r, ContainerLifecycle.run(wc.id, wc.imageId, t0));
        } catch (TimeoutException e) {
            return new ToolOutcome.TimedOut(deadline, ContainerLifecycle.run(wc.id, wc.imageId, t0));
        } catch (ExecutionException e) {
            return failed(wc, e, t0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ToolOutcome.Failed("INTERRUPTED", "the call was interrupted", ContainerLifecycle.run(wc.id, wc.imageId, t0));
        } finally {
            if (request != null) {
                request.dispose(); // a request that timed out or was interrupted no longer waits for its answer
            }
            wc.current.set(null);
            // An interrupted call's container is killed and removed through the engine, whose client gives up at
            // once on an interrupted thread: release it with the flag cleared, then set the flag again.
            boolean interrupted = Thread.interrupted();
            try {
                pool.release(key, wc, keep);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
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


    private ToolOutcome failed(WarmContainer wc, ExecutionException e, long t0) {
        if (wc.transport.flooded() || e.getCause() instanceof ContainerStdioTransport.OutputLimitException) {
            return new ToolOutcome.Failed("OUTPUT_LIMIT", "the tool wrote more than " + settings.maxOutputBytes()
                    + " bytes; its container was killed", ContainerLifecycle.run(wc.id, wc.imageId, t0));
        }
        return new ToolOutcome.Failed("TOOL_SERVER_FAILED", "the tool server did not answer: " + ContainerLifecycle.rootMessage(e)
                + ContainerLifecycle.diagnostics(wc.transport), ContainerLifecycle.run(wc.id, wc.imageId, t0));
    }

    private ToolOutcome ok(CallToolResult r, SandboxRun run) {
        String text = r.content() == null ? "" : r.content().stream()
                .filter(c -> c instanceof McpSchema.TextContent)
                .map(c -> ((McpSchema.TextContent) c).text())
                .collect(Collectors.joining("\n"));
        JsonNode structured = r.structuredContent() == null ? null : json.valueToTree(r.structuredContent());
        return new ToolOutcome.Ok(text, structured, Boolean.TRUE.equals(r.isError()), run);
    }








    @Override
    public java.util.List<Warm> warm() {
        return pool.snapshot().entrySet().stream().map(e -> new Warm(e.getKey().agentId(), e.getKey().scope(),
                e.getKey().skillId(), e.getKey().policyHash(), e.getValue())).toList();
    }

    @Override
    public int pruneIdle() {
        return pool.pruneIdle();
    }

    /** Containers kept warm right now. */
    public int warmCount() {
        return pool.size();
    }



    @Override
    public void close() {
        pool.close();
        calls.shutdownNow();
    }
}
