package ai.clawbot.host.sandbox;

import ai.clawbot.host.sandbox.ToolOutcome.SandboxRun;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The life of one sandbox container: start it (secrets folder, egress network, hardened create, attach
 * stdio, start, MCP initialize, all within the call's deadline), and take it down again (kill, close the
 * streams, remove, wipe its secrets, drop its network). Also sweeps what a crashed gateway left behind.
 */
final class ContainerLifecycle {

    private static final System.Logger LOG = System.getLogger(ContainerLifecycle.class.getName());

    private final DockerClient docker;
    private final SandboxSettings settings;
    private final SandboxObserver observer;
    private final JacksonMcpJsonMapper mcpJson;
    private final ExecutorService calls;
    private final SecretMounts secretMounts = SecretMounts.onHostTmpfs();
    private final SecretMounts settingsMounts = SecretMounts.settingsOnHostTmpfs();

    ContainerLifecycle(DockerClient docker, SandboxSettings settings, SandboxObserver observer,
                       JacksonMcpJsonMapper mcpJson, ExecutorService calls) {
        this.docker = docker;
        this.settings = settings;
        this.observer = observer;
        this.mcpJson = mcpJson;
        this.calls = calls;
    }

    /** Thrown when the skill's image family has no current image on this machine (missing, stale, unknown). */
    static final class ImageMissing extends Exception {
        final String code;

        ImageMissing(SandboxImages.Resolution.Unavailable why) {
            super(why.message());
            this.code = why.code();
        }
    }

    /** A start that failed with an outcome to report (the container is already gone). */
    static final class StartFailed extends Exception {
        final transient ToolOutcome outcome;

        StartFailed(ToolOutcome outcome) {
            super(outcome.toString());
            this.outcome = outcome;
        }
    }

    WarmContainer start(SandboxCall call, PoolKey key, Map<String, byte[]> resolved, long t0, Duration deadline)
            throws Exception {
        String image = call.skill().manifest().sandbox().image();
        String imageId = switch (SandboxImages.resolve(docker, image)) {
            case SandboxImages.Resolution.Ready ready -> ready.imageId();
            case SandboxImages.Resolution.Unavailable why -> throw new ImageMissing(why);
        };
        java.nio.file.Path secretDir = resolved.isEmpty() ? null : secretMounts.materialize(resolved, settings.user());
        java.nio.file.Path settingsDir = null;
        EgressNetwork egress = null;
        String id;
        try {
            byte[] settingsJson = settingsFile(call);
            if (settingsJson != null) {
                settingsDir = settingsMounts.materialize(Map.of(SecretMounts.SETTINGS_FILE, settingsJson), settings.user());
            }
            List<String> allow = call.skill().manifest().network().allow();
            if (!allow.isEmpty()) {
                egress = EgressNetwork.open(docker, allow, call.skill().config().grants(),
                        HardenedContainer.labels(settings, call), settings.egressResolver(),
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
            id = HardenedContainer.create(docker, call, settings, imageId, key, secretDir, settingsDir, egress);
        } catch (Exception | Error e) {
            abandon(null, null, null, secretDir, settingsDir, egress);
            throw e;
        }
        EgressNetwork net = egress;
        java.nio.file.Path settingsFolder = settingsDir;
        AtomicReference<WarmContainer> self = new AtomicReference<>();
        ContainerStdioTransport transport = null;
        ResultCallback.Adapter<Frame> attach = null;
        McpAsyncClient client = null;
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
            }, () -> {
                WarmContainer w = self.get();
                if (w != null) {
                    w.stdioEnded();
                }
            });
            attach = docker.attachContainerCmd(id).withStdIn(transport.stdin()).withStdOut(true).withStdErr(true)
                    .withFollowStream(true).exec(transport.frames());
            attach.awaitStarted(10, TimeUnit.SECONDS);
            docker.startContainerCmd(id).exec();
            observer.started(id, call);
            client = McpClient.async(transport)
                    .clientInfo(new McpSchema.Implementation("clawbot-gateway", "0.1.0"))
                    .initializationTimeout(deadline.plusSeconds(1))
                    .requestTimeout(deadline.plusSeconds(1))
                    .build();
            // The request goes out on this thread (a write to the stdin queue); the answer arrives on the attach
            // stream's thread. So this thread only waits, for what is left of the deadline; no second thread.
            long remaining = deadline.toNanos() - (System.nanoTime() - t0);
            client.initialize().toFuture().get(Math.max(remaining, 1), TimeUnit.NANOSECONDS);
            WarmContainer wc = new WarmContainer(id, imageId, key, transport, attach, client, secretDir, settingsFolder, net);
            self.set(wc);
            return wc;
        } catch (TimeoutException e) {
            abandon(id, client, attach, secretDir, settingsFolder, net);
            throw new TimeoutException("the tool server did not start within the deadline");
        } catch (ExecutionException e) {
            abandon(id, client, attach, secretDir, settingsFolder, net);
            throw new StartFailed(new ToolOutcome.Failed("TOOL_SERVER_FAILED", "the tool server did not start: "
                    + rootMessage(e) + diagnostics(transport), run(id, imageId, t0)));
        } catch (Exception | Error e) {
            abandon(id, client, attach, secretDir, settingsFolder, net);
            throw e;
        }
    }

    /**
     * Undoes a start that failed: the container (if created), its streams, the secret and settings folders, the
     * egress network and its firewall rules. With the thread's interrupt flag cleared meanwhile, then set again: an
     * interrupt (the caller gave up) is a common cause, and the engine's client and {@code iptables} give up at once
     * on an interrupted thread, which left the container and its rules behind until the next gateway start.
     */
    private void abandon(String id, McpAsyncClient client, ResultCallback.Adapter<Frame> attach,
                         java.nio.file.Path secretDir, java.nio.file.Path settingsDir, EgressNetwork net) {
        boolean interrupted = Thread.interrupted();
        try {
            cleanup(id, client, attach);
            secretMounts.destroy(secretDir);
            settingsMounts.destroy(settingsDir);
            closeQuietly(net);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The settings the tool server reads: the skill's configuration (validated, defaults applied) over the call's
     * string settings; null when there are none.
     */
    static byte[] settingsFile(SandboxCall call) throws java.io.IOException {
        com.fasterxml.jackson.databind.node.ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        call.settings().forEach(o::put);
        o.setAll(call.skill().config().settings());
        return o.isEmpty() ? null : new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(o);
    }

    static SandboxRun run(String id, String image, long t0) {
        return new SandboxRun(id, image, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Drops a warm container: kill it, close its streams, remove it. */
    void discard(WarmContainer wc) {
        wc.markDead();
        cleanup(wc.id, wc.client, wc.attach);
        secretMounts.destroy(wc.secretDir);
        settingsMounts.destroy(wc.settingsDir);
        closeQuietly(wc.egress);
    }

    private static void closeQuietly(EgressNetwork egress) {
        if (egress != null) {
            egress.close();
        }
    }

    private void cleanup(String id, McpAsyncClient client, ResultCallback.Adapter<Frame> attach) {
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

    /** Removes every container and egress network this gateway's state folder left behind (a crash, a kill -9). */
    void sweepOrphans() {
        Map<String, String> mine = Map.of(HardenedContainer.LABEL_SANDBOX, "1", HardenedContainer.LABEL_SCOPE, settings.scope());
        List<String> left;
        try {
            left = LabelledObjects.containers(docker, mine);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not sweep orphaned sandboxes: " + rootMessage(e));
            return;
        }
        for (String id : left) {
            LOG.log(System.Logger.Level.INFO, "removing orphaned sandbox container " + id);
            remove(id);
        }
        try {
            for (String network : LabelledObjects.networks(docker, mine)) {
                LOG.log(System.Logger.Level.INFO, "removing orphaned egress network " + network);
                docker.removeNetworkCmd(network).exec();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not sweep orphaned egress networks: " + rootMessage(e));
        }
    }

    static String diagnostics(ContainerStdioTransport t) {
        String tail = t == null ? "" : t.stderrTail().strip();
        return tail.isEmpty() ? "" : " (tool server stderr: " + tail.substring(Math.max(0, tail.length() - 500)) + ")";
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
