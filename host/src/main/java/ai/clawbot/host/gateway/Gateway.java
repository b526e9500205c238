package ai.clawbot.host.gateway;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.agents.AgentDefinition;
import ai.clawbot.host.agents.AgentEngine;
import ai.clawbot.host.agents.ModelCaller;
import ai.clawbot.host.config.ConfigException;
import ai.clawbot.host.config.ConfigStore;
import ai.clawbot.host.config.Snapshot;
import ai.clawbot.host.gateway.auth.AuthRateLimiter;
import ai.clawbot.host.gateway.auth.BindPolicy;
import ai.clawbot.host.gateway.auth.DeviceVerifier;
import ai.clawbot.host.gateway.auth.OriginPolicy;
import ai.clawbot.host.gateway.frames.StrictWsUpgrader;
import ai.clawbot.host.observe.GatewayMetrics;
import ai.clawbot.host.observe.LogRing;
import ai.clawbot.host.observe.SecretRedactor;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.sandbox.SandboxSettings;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.host.store.GatewayStore;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * The running gateway: one port serving HTTP ({@code /healthz}, {@code /readyz}, {@code /metrics}, the
 * Control UI, {@code /v1/chat/completions}) and the WebSocket protocol. The port opens first; skills, sandbox
 * and sessions load behind it while {@code /readyz} says 503 and {@code connect} says "starting, retry".
 */
public final class Gateway implements AutoCloseable {

    public static final String VERSION = "0.1.0";
    private static final long STARTED = System.currentTimeMillis();
    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());
    /** One per process: every gateway's token is masked in every log handler. */
    public static final SecretRedactor REDACTOR = SecretRedactor.create();

    /** Start-up choices beyond the config: test hooks and engine overrides. */
    public record Options(SandboxObserver observer, UnaryOperator<SandboxSettings> tune, Supplier<AgentEngine> engine,
                          Runnable beforeReady, java.util.function.Function<AgentDefinition, ModelCaller> models,
                          Duration approvalTimeout, GatewayStore.Factory store) {

        public static Options defaults() {
            return new Options(SandboxObserver.NONE, UnaryOperator.identity(), null, () -> { }, null, Duration.ofMinutes(2),
                    GatewayStore.Factory.configured());
        }

        public Options observer(SandboxObserver o) {
            return new Options(o, tune, engine, beforeReady, models, approvalTimeout, store);
        }

        public Options tune(UnaryOperator<SandboxSettings> t) {
            return new Options(observer, t, engine, beforeReady, models, approvalTimeout, store);
        }

        /** Replaces the whole agent loop (tests of the protocol around runs). */
        public Options engine(Supplier<AgentEngine> e) {
            return new Options(observer, tune, e, beforeReady, models, approvalTimeout, store);
        }

        /** Runs after services load and before the gateway reports ready (tests hold start-up here). */
        public Options beforeReady(Runnable r) {
            return new Options(observer, tune, engine, r, models, approvalTimeout, store);
        }

        /** Replaces the configured models (tests: a scripted model), keeping the real loop, policy and sandbox. */
        public Options models(java.util.function.Function<AgentDefinition, ModelCaller> m) {
            return new Options(observer, tune, engine, beforeReady, m, approvalTimeout, store);
        }

        /** How long a tool waits for an operator's approval before it counts as denied. */
        public Options approvalTimeout(Duration d) {
            return new Options(observer, tune, engine, beforeReady, models, d, store);
        }

        /** Where sessions live (default: {@code gateway.store} as configured; tests: a database of their own). */
        public Options store(GatewayStore.Factory f) {
            return new Options(observer, tune, engine, beforeReady, models, approvalTimeout, f);
        }
    }

    private final GatewayConfig config;
    private final WebServer server;
    private final Services services;
    private final ProtocolContext ctx;
    private final LogRing logs;

    private Gateway(GatewayConfig config, WebServer server, Services services, ProtocolContext ctx, LogRing logs) {
        this.config = config;
        this.server = server;
        this.services = services;
        this.ctx = ctx;
        this.logs = logs;
    }

    static long startedEpochSeconds() {
        return STARTED / 1000;
    }

    static long uptimeMs() {
        return System.currentTimeMillis() - STARTED;
    }

    /**
     * Opens the port, then builds what serves behind it with {@code services} (the composition root,
     * {@code ai.clawbot.host.wiring.Gateways}, passes its own).
     */
    public static Gateway start(GatewayConfig config, Options options, Services.Factory services) throws IOException {
        StateDir state = config.state();
        state.ensureRoot();
        ConfigStore configStore = ConfigStore.open(state);
        Snapshot snapshot;
        try {
            snapshot = ConfigFile.load(configStore);
        } catch (ConfigException e) {
            throw new IOException("cannot start: " + e.getMessage(), e);
        }
        AtomicReference<GatewaySettings> settings;
        try {
            settings = new AtomicReference<>(GatewaySettings.from(snapshot.config()));
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot start: " + state.configFile() + ": " + e.getMessage(), e);
        }
        InetAddress bind = BindPolicy.resolveBind(config.bind());
        BindPolicy.requireAuthForNonLoopback(bind, true);

        REDACTOR.add(config.token());
        LogRing logs = LogRing.create(REDACTOR);
        installLogging(logs);

        GatewayMetrics metrics = GatewayMetrics.create(VERSION, () -> uptimeMs() / 1000.0);
        ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-timers");
            t.setDaemon(true);
            return t;
        });
        GatewaySettings s = settings.get();
        ProtocolContext ctx = new ProtocolContext(new TokenAuth(config.token()),
                AuthRateLimiter.create(s.rateLimit(), Clock.systemUTC()), OriginPolicy.create(s.allowedOrigins()),
                DeviceVerifier.create(), new AtomicReference<>(), new EventHub(), IdempotencyCache.create(),
                new Readiness(), metrics, work, timers, s.tickIntervalMs());
        HttpEndpoints http = new HttpEndpoints(ctx, settings);
        WsConfig ws = WsConfig.builder().name("websocket").maxFrameLength(ProtocolContext.MAX_PAYLOAD_BYTES).build();
        WebServer server = WebServer.builder()
                .host(bind.getHostAddress())
                .port(config.port())
                // Small frames (an ack, then run events) must not wait for the peer's delayed ACK (~40 ms).
                .connectionOptions(o -> o.tcpNoDelay(true))
                .routing(r -> GatewayRouting.routing(r, http))
                // Helidon's own frame limit (1 MiB by default) must admit the maxPayload hello-ok advertises.
                .addProtocol(ws)
                // Upgrades go through the RFC 6455 frame check (Helidon's decoder does not enforce it).
                .addConnectionSelector(StrictWsUpgrader.http1Selector(ws))
                .addRouting(WsRouting.builder().endpoint("/", () -> new GatewaySocket(ctx)))
                .build()
                .start();
        ai.clawbot.host.observe.StartupTrace.mark("listening (/healthz answers)");
        java.util.concurrent.CompletableFuture<Void> warmup = HandshakeWarmup.start(URI.create("ws://"
                + GatewayConfig.clientHost(bind.getHostAddress()) + ":" + server.port() + "/"));
        Services running;
        try {
            running = services.start(new Services.Startup(state, options, configStore, settings, ctx.hub(), logs, metrics));
            http.services(running);
            options.beforeReady().run();
            warmup.join(); // bounded: the warm-up gives up after a few seconds, and never fails
        } catch (IOException | RuntimeException e) {
            server.stop();
            work.shutdownNow();
            timers.shutdownNow();
            Logger.getLogger("").removeHandler(logs);
            throw e;
        }
        ctx.methods().set(running.methods());
        GatewaySocket.warmHelloOk(ctx);
        ctx.readiness().markReady();
        ai.clawbot.host.observe.StartupTrace.mark("ready (/readyz answers)");
        timers.scheduleAtFixedRate(() -> ctx.hub().broadcast(Events.TICK,
                Frames.JSON.createObjectNode().put("ts", System.currentTimeMillis()), null),
                s.tickIntervalMs(), s.tickIntervalMs(), TimeUnit.MILLISECONDS);
        LOG.log(System.Logger.Level.INFO, "gateway ready on " + bind.getHostAddress() + ":" + server.port());
        return new Gateway(config, server, running, ctx, logs);
    }

    /** Keeps the last log lines for {@code logs.tail}, and masks the token in every handler's output. */
    private static void installLogging(LogRing logs) {
        Logger root = Logger.getLogger("");
        for (java.util.logging.Handler h : root.getHandlers()) {
            if (!(h.getFormatter() instanceof ai.clawbot.host.observe.RedactingFormatter) && !(h instanceof LogRing)) {
                h.setFormatter(ai.clawbot.host.observe.RedactingFormatter.wrap(
                        h.getFormatter() == null ? new java.util.logging.SimpleFormatter() : h.getFormatter(), REDACTOR));
            }
        }
        root.addHandler(logs);
    }

    public int port() {
        return server.port();
    }

    public SkillCatalog catalog() {
        return services.catalog();
    }

    /** The scope {@code method} needs; empty for a method this gateway does not serve. */
    public java.util.Optional<String> requiredScope(String method) {
        return ctx.methods().get().get(method).map(MethodSpec::scope);
    }

    public Readiness.State state() {
        return ctx.readiness().state();
    }

    /** The Control UI address; the token rides in the fragment, which browsers never send to a server. */
    public URI controlUiUrl() {
        return URI.create("http://" + host() + ":" + port() + "/#token=" + config.token());
    }

    public URI webSocketUri() {
        return URI.create("ws://" + host() + ":" + port() + "/");
    }

    private String host() {
        return GatewayConfig.clientHost(BindPolicy.resolveBind(config.bind()).getHostAddress());
    }

    /**
     * Drains, then stops: {@code /readyz} turns 503, new connections and messages are refused, clients get a
     * {@code shutdown} event, runs get a few seconds to finish, then everything closes.
     */
    @Override
    public void close() {
        ctx.readiness().drain();
        ctx.hub().broadcast(Events.SHUTDOWN, Frames.JSON.createObjectNode().put("reason", "gateway stopping"), null);
        services.drain(Duration.ofSeconds(5));
        server.stop();
        ctx.work().shutdownNow();
        ctx.timers().shutdownNow();
        services.close();
        Logger.getLogger("").removeHandler(logs);
    }
}
