package ai.clawbot.host.wiring;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.gateway.ApprovalMethods;
import ai.clawbot.host.gateway.ChatMethods;
import ai.clawbot.host.gateway.ConfigMethods;
import ai.clawbot.host.gateway.EventHub;
import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.VoiceEndpoint;
import ai.clawbot.host.gateway.GatewaySettings;
import ai.clawbot.host.gateway.MethodTable;
import ai.clawbot.host.gateway.PluginMethods;
import ai.clawbot.host.gateway.SandboxMethods;
import ai.clawbot.host.gateway.Scopes;
import ai.clawbot.host.gateway.SecurityMethods;
import ai.clawbot.host.gateway.SessionMethods;
import ai.clawbot.host.gateway.SkillMethods;
import ai.clawbot.host.gateway.SystemMethods;
import ai.clawbot.host.agents.AgentEngine;
import ai.clawbot.host.agents.AgentRegistry;
import ai.clawbot.host.agents.ChatRuns;
import ai.clawbot.host.policy.ApprovalQueue;
import ai.clawbot.host.policy.PolicyAudit;
import ai.clawbot.host.policy.SessionPolicies;
import ai.clawbot.host.config.ConfigStore;
import ai.clawbot.host.observe.LogRing;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.DockerSandbox;
import ai.clawbot.host.sandbox.Sandbox;
import ai.clawbot.host.sandbox.SandboxSettings;
import ai.clawbot.host.secrets.FileVault;
import ai.clawbot.host.secrets.SecretsException;
import ai.clawbot.host.secrets.SecretsProvider;
import ai.clawbot.host.sessions.SessionStore;
import ai.clawbot.host.skills.BundledPlugins;
import ai.clawbot.host.store.GatewayStore;
import ai.clawbot.host.store.StoreSettings;
import ai.clawbot.host.tools.ToolGate;
import ai.clawbot.host.skills.SkillService;
import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What the gateway runs once its port is open: verified skills, the sandbox, sessions, chat runs, and the
 * method table over them. Built after the server starts, so {@code /healthz} answers (and {@code /readyz}
 * says "starting") while plugins are verified.
 */
public final class GatewayServices implements ai.clawbot.host.gateway.Services {

    private static final System.Logger LOG = System.getLogger(GatewayServices.class.getName());

    public final SkillService skills;
    public final Sandbox sandbox;
    public final SessionStore sessions;
    public final ChatRuns runs;
    public final MethodTable methods;
    public final ApprovalQueue approvals;
    public final GatewayStore store;
    /** The Control UI's microphone ({@code POST /api/voice/transcribe}). */
    public final VoiceEndpoint voice;
    /** The MCP door ({@code /mcp}). */
    public final ai.clawbot.host.mcp.McpDoor mcp;

    private GatewayServices(SkillService skills, Sandbox sandbox, SessionStore sessions, ChatRuns runs, MethodTable methods,
                            ApprovalQueue approvals, GatewayStore store, VoiceEndpoint voice,
                            ai.clawbot.host.mcp.McpDoor mcp) {
        this.approvals = approvals;
        this.store = store;
        this.voice = voice;
        this.mcp = mcp;
        this.skills = skills;
        this.sandbox = sandbox;
        this.sessions = sessions;
        this.runs = runs;
        this.methods = methods;
    }

    /** The {@link ai.clawbot.host.gateway.Services.Factory} the composition root hands the gateway. */
    public static GatewayServices start(Startup startup) throws IOException {
        StateDir state = startup.state();
        Gateway.Options options = startup.options();
        ConfigStore config = startup.config();
        AtomicReference<GatewaySettings> settings = startup.settings();
        EventHub hub = startup.hub();
        LogRing logs = startup.logs();
        ai.clawbot.host.observe.GatewayMetrics metrics = startup.metrics();
        // The Docker client, its ping and the orphan sweep (about half of the time to /readyz) run beside plugin
        // verification: neither needs the other, and ready waits for both.
        SecretsProvider vault = secretsProvider(state);
        // op:// references (model apiKeys, vault secrets) resolve through 1Password Connect, in memory only.
        ai.clawbot.host.secrets.OnePasswordSecrets references = ai.clawbot.host.secrets.OnePasswordSecrets.create(
                () -> ai.clawbot.host.secrets.OnePasswordSecrets.Connection.fromPlugins(settings.get().plugins()), vault,
                java.time.Clock.systemUTC(), Gateway.REDACTOR::add);
        SandboxSettings sandboxSettings = options.tune().apply(SandboxSettings.detect(System.getenv(),
                SandboxSettings.scopeOf(state.root()), state.root()));
        CompletableFuture<Sandbox> sandboxStart = CompletableFuture.supplyAsync(() -> startSandbox(sandboxSettings, options,
                        new ai.clawbot.host.secrets.ReferenceResolvingVault(vault, references)),
                r -> Thread.ofPlatform().daemon().name("gateway-sandbox-start").start(r));
        try {
            return start(state, options, config, settings, hub, logs, metrics, vault, references, sandboxStart);
        } catch (IOException | RuntimeException e) {
            sandboxStart.thenAccept(Sandbox::close); // a start that failed leaves no sandbox running
            throw e;
        }
    }

    private static GatewayServices start(StateDir state, Gateway.Options options, ConfigStore config,
                                         AtomicReference<GatewaySettings> settings, EventHub hub, LogRing logs,
                                         ai.clawbot.host.observe.GatewayMetrics metrics,
                                         SecretsProvider vault, ai.clawbot.host.secrets.OnePasswordSecrets references,
                                         CompletableFuture<Sandbox> sandboxStart) throws IOException {
        BundledPlugins.installOnFirstRun(state);
        Path workspace = ensureWorkspace(state);
        SkillService skills = SkillService.load(state).withConfig(() -> settings.get().plugins());
        ai.clawbot.host.observe.StartupTrace.mark("plugins verified");
        // Each loaded skill's settings are checked on every config write; a config already on disk that does not fit
        // a skill is reported now, and that skill's calls are refused (SETTINGS_INVALID) until it is fixed.
        config.checkWritesWith(next -> ai.clawbot.host.skills.SkillConfigs.check(next,
                skills.catalog().skills().stream().map(ai.clawbot.host.skills.LoadedSkill::manifest).toList()));
        skills.catalog().skills().forEach(s -> s.config().problems().forEach(p -> LOG.log(System.Logger.Level.WARNING,
                "skill " + s.id() + " is misconfigured, its calls are refused until fixed: " + p)));

        // A store that cannot be opened (database unreachable) stops the start (the sandbox started beside is closed).
        GatewayStore store = options.store().open(state, StoreSettings.fromConfig(config.current().config()), vault);
        ai.clawbot.host.observe.StartupTrace.mark("store opened");
        Sandbox sandbox = join(sandboxStart);

        SessionStore sessions = store.sessions();
        Supplier<AgentRegistry> agents = () -> settings.get().agents();
        PolicyAudit audit = PolicyAudit.create(state.root(), Gateway.REDACTOR);
        ApprovalQueue approvals = ApprovalQueue.create(audit);
        SessionPolicies sessionPolicies = store.sessionPolicies(state);
        java.util.function.Function<String, Path> workspaces = agentId -> agentWorkspace(state, workspace,
                settings.get().agents().find(agentId).map(ai.clawbot.host.agents.AgentDefinition::workspace).orElse(null));
        ToolGate gate = AgentWiring.gate(skills::catalog, sandbox, workspaces, settings, approvals, audit,
                sessionPolicies, options);
        gate.useInstallRequests(ai.clawbot.host.registry.InstallRequests.create(skills));
        AgentEngine loop = AgentWiring.loop(skills::catalog, gate, settings, sessionPolicies, options, references, metrics);
        Supplier<AgentEngine> engine = options.engine() != null ? options.engine() : () -> loop;
        // Events from other gateways reach this one's clients; a decision on an approval this gateway raised is applied.
        ai.clawbot.host.agents.RunEvents arriving = (event, payload) -> {
            if (ClusterApprovals.DECIDE.equals(event)) {
                ClusterApprovals.apply(approvals, payload);
            } else {
                hub.broadcast(event, payload, Scopes.READ);
            }
        };
        ChatRuns runs = new ChatRuns(sessions, agents, engine, store.runEvents(arriving), store.runs());
        store.database().ifPresent(db -> {
            ClusterApprovals cluster = new ClusterApprovals(db, store.othersOnly());
            approvals.addListener(cluster);
            approvals.decideElsewhereWith(cluster);
        });

        ai.clawbot.host.observe.StartupTrace.mark("sessions and runs");
        ChatMethods chat = new ChatMethods(runs, sessions, agents);
        ConfigMethods configMethods = new ConfigMethods(config, settings, hub, () -> skills.catalog().skills().stream()
                .map(ai.clawbot.host.skills.LoadedSkill::manifest).toList());
        MethodTable methods = MethodTable.builder()
                .addAll(new SystemMethods(skills::catalog, agents, runs, hub, logs, configMethods::status).methods())
                .addAll(chat.methods())
                .addAll(new SessionMethods(sessions, runs, agents, chat, hub, sessionPolicies).methods())
                .addAll(configMethods.methods())
                .addAll(new ApprovalMethods(approvals, hub).methods())
                .addAll(new SandboxMethods(sandbox).methods())
                .addAll(new SkillMethods(skills::catalog, gate, agents).methods())
                .addAll(new PluginMethods(skills, hub).methods())
                .addAll(new SecurityMethods(state, System.getenv()).methods())
                .build();
        // The MCP door (/mcp) offers what the agent loop would offer, and calls through the same gate.
        ai.clawbot.host.mcp.McpDoor mcp = new ai.clawbot.host.mcp.McpDoor(skills::catalog, gate, (agent, sessionKey) ->
                AgentWiring.visibleTools(settings.get(), agent, sessionKey, sessionPolicies, skills.catalog().skills()));
        VoiceEndpoint voice = new VoiceEndpoint(gate, agents, workspaces,
                () -> config.current().config().path("gateway").path("controlUi").path("voice"));
        return new GatewayServices(skills, sandbox, sessions, runs, methods, approvals, store, voice, mcp);
    }

    /** The sandbox on the Docker engine, with containers an earlier run left behind removed. */
    private static Sandbox startSandbox(SandboxSettings sandboxSettings, Gateway.Options options, SecretsProvider secrets) {
        DockerClient docker = DockerClients.create();
        if (!DockerClients.available(docker)) {
            LOG.log(System.Logger.Level.WARNING, "No Docker engine answers; tool calls will fail until one does");
        }
        ai.clawbot.host.observe.StartupTrace.mark("docker answered");
        DockerSandbox sandbox = DockerSandbox.create(docker, sandboxSettings, options.observer(), secrets);
        ai.clawbot.host.observe.StartupTrace.mark("orphan containers swept");
        return sandbox;
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * An agent's workspace: its configured {@code workspace} (absolute, {@code ~/...}, or a name under the state
     * folder such as {@code workspace-coder}, created on first use), else the gateway's. The sandbox refuses
     * sensitive folders whatever is configured.
     */
    static Path agentWorkspace(StateDir state, Path fallback, String configured) {
        if (configured == null || configured.isBlank()) {
            return fallback;
        }
        Path p = configured.startsWith("~/") ? Path.of(System.getProperty("user.home")).resolve(configured.substring(2))
                : Path.of(configured);
        if (!p.isAbsolute()) {
            p = state.root().resolve(p).normalize();
            if (p.startsWith(state.root()) && !Files.exists(p)) {
                try {
                    Files.createDirectories(p);
                    handToSandboxUser(p);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot create workspace " + p + ": " + e.getMessage());
                }
            }
        }
        return p;
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

    /**
     * The workspace (the obsidian vault by default). When the gateway runs as root its sandboxes run as
     * nobody, so a workspace it creates is handed to nobody to stay writable from a {@code rw} sandbox.
     */
    private static Path ensureWorkspace(StateDir state) throws IOException {
        Path ws = state.workspace();
        if (!Files.exists(ws)) {
            Files.createDirectories(ws);
            handToSandboxUser(ws);
        }
        return ws;
    }

    /** When the gateway runs as root its sandboxes run as nobody: a folder it creates for them goes to nobody. */
    private static void handToSandboxUser(Path folder) throws IOException {
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
            Files.setAttribute(folder, "unix:uid", 65534);
            Files.setAttribute(folder, "unix:gid", 65534);
        }
    }

    @Override
    public MethodTable methods() {
        return methods;
    }

    @Override
    public ChatRuns runs() {
        return runs;
    }

    @Override
    public ai.clawbot.host.skills.SkillCatalog catalog() {
        return skills.catalog();
    }

    @Override
    public VoiceEndpoint voice() {
        return voice;
    }

    @Override
    public McpDoor mcp() {
        return mcp::handle;
    }

    @Override
    public String storeProblem() {
        return store.problem();
    }

    @Override
    public int warmSandboxes() {
        return sandbox.warm().size();
    }

    /** Lets runs finish (up to {@code grace}). */
    @Override
    public void drain(Duration grace) {
        runs.drain(grace);
    }

    @Override
    public void close() {
        runs.close();
        approvals.close();
        sandbox.close();
        skills.catalog().close();
        store.close();
    }
}
