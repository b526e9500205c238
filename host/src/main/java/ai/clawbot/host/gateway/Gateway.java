package ai.clawbot.host.gateway;

import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.DockerSandbox;
import ai.clawbot.host.sandbox.Sandbox;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.sandbox.SandboxSettings;
import ai.clawbot.host.secrets.FileVault;
import ai.clawbot.host.secrets.SecretsException;
import ai.clawbot.host.secrets.SecretsProvider;
import ai.clawbot.host.skills.BundledPlugins;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.host.skills.SkillRouter;
import ai.clawbot.host.skills.SkillService;
import ai.clawbot.signing.Sha256;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The running gateway: verified skills, the sandbox, and the HTTP + WebSocket server on one port.
 */
public final class Gateway implements AutoCloseable {

    public static final String VERSION = "0.1.0";
    private static final long STARTED = System.currentTimeMillis();
    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());

    private final GatewayConfig config;
    private final WebServer server;
    private final Sandbox sandbox;
    private final SkillService skills;
    private final ExecutorService work;
    private final ScheduledExecutorService timers;

    private Gateway(GatewayConfig config, WebServer server, Sandbox sandbox, SkillService skills,
                    ExecutorService work, ScheduledExecutorService timers) {
        this.config = config;
        this.server = server;
        this.sandbox = sandbox;
        this.skills = skills;
        this.work = work;
        this.timers = timers;
    }

    static long uptimeMs() {
        return System.currentTimeMillis() - STARTED;
    }

    public static Gateway start(GatewayConfig config) throws IOException {
        return start(config, SandboxObserver.NONE);
    }

    public static Gateway start(GatewayConfig config, SandboxObserver observer) throws IOException {
        return start(config, observer, java.util.function.UnaryOperator.identity());
    }

    /** As above, with the detected sandbox settings adjusted (tests: pool sizes, an egress resolver). */
    public static Gateway start(GatewayConfig config, SandboxObserver observer,
                                java.util.function.UnaryOperator<SandboxSettings> tune) throws IOException {
        StateDir state = config.state();
        state.ensureRoot();
        BundledPlugins.installOnFirstRun(state);
        Path workspace = ensureWorkspace(state);
        SkillService skills = SkillService.load(state);

        DockerClient docker = DockerClients.create();
        SandboxSettings settings = SandboxSettings.detect(System.getenv(),
                Sha256.hex(state.root().toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16), state.root());
        settings = tune.apply(settings);
        if (!DockerClients.available(docker)) {
            LOG.log(System.Logger.Level.WARNING, "No Docker engine answers; tool calls will fail until one does");
        }
        Sandbox sandbox = DockerSandbox.create(docker, settings, observer, secretsProvider(state));
        SkillRouter router = new SkillRouter(skills::catalog, sandbox, workspace);

        Map<String, Method> methods = new HashMap<>();
        methods.put("health", p -> health(skills.catalog()));
        methods.putAll(new SkillMethods(skills::catalog, router).methods());
        methods.putAll(new PluginMethods(skills).methods());

        ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-timers");
            t.setDaemon(true);
            return t;
        });
        TokenAuth auth = new TokenAuth(config.token());
        Map<String, Method> frozen = Map.copyOf(methods);
        WebServer server = WebServer.builder()
                .host(config.bind())
                .port(config.port())
                .routing(GatewayRouting::routing)
                // Helidon's own frame limit (1 MiB by default) must admit the maxPayload hello-ok advertises.
                .addProtocol(io.helidon.webserver.websocket.WsConfig.builder().name("websocket")
                        .maxFrameLength(GatewaySocket.MAX_PAYLOAD_BYTES).build())
                .addRouting(WsRouting.builder().endpoint("/", () -> new GatewaySocket(auth, frozen, work, timers)))
                .build()
                .start();
        return new Gateway(config, server, sandbox, skills, work, timers);
    }

    /** The vault, or a provider that says why it is unusable (a skill without secrets still runs). */
    private static SecretsProvider secretsProvider(StateDir state) {
        try {
            return FileVault.open(state, System.getenv());
        } catch (SecretsException e) {
            LOG.log(System.Logger.Level.WARNING, "Secrets vault unusable: " + e.getMessage()
                    + "; skills that declare secrets will be refused");
            return names -> {
                if (names.isEmpty()) {
                    return Map.of();
                }
                throw e;
            };
        }
    }

    private static ObjectNode health(SkillCatalog catalog) {
        ObjectNode o = Frames.JSON.createObjectNode().put("ok", true).put("status", "live").put("uptimeMs", uptimeMs());
        o.put("skills", catalog.skills().size()).put("refusedPlugins", catalog.refused().size());
        return o;
    }

    /**
     * The workspace (the obsidian vault by default). When the gateway runs as root its sandboxes run as
     * nobody, so a workspace it creates is handed to nobody to stay writable from a {@code rw} sandbox.
     */
    private static Path ensureWorkspace(StateDir state) throws IOException {
        Path ws = state.workspace();
        if (!Files.exists(ws)) {
            Files.createDirectories(ws);
            if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
                Files.setAttribute(ws, "unix:uid", 65534);
                Files.setAttribute(ws, "unix:gid", 65534);
            }
        }
        return ws;
    }

    public int port() {
        return server.port();
    }

    public SkillCatalog catalog() {
        return skills.catalog();
    }

    /** The Control UI address; the token rides in the fragment, which browsers never send to a server. */
    public URI controlUiUrl() {
        return URI.create("http://" + config.bind() + ":" + port() + "/#token=" + config.token());
    }

    public URI webSocketUri() {
        return URI.create("ws://" + config.bind() + ":" + port() + "/");
    }

    @Override
    public void close() {
        server.stop();
        work.shutdownNow();
        timers.shutdownNow();
        sandbox.close();
        skills.catalog().close();
    }
}
