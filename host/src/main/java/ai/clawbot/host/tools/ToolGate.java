package ai.clawbot.host.tools;

import ai.clawbot.host.agents.AgentDefinition;
import ai.clawbot.host.policy.ApprovalDecision;
import ai.clawbot.host.policy.ApprovalQueue;
import ai.clawbot.host.policy.ApprovalRequest;
import ai.clawbot.host.policy.Decision;
import ai.clawbot.host.policy.PolicyAudit;
import ai.clawbot.host.policy.PolicyChain;
import ai.clawbot.host.policy.PreApprovals;
import ai.clawbot.host.registry.InstallRequests;
import ai.clawbot.host.sandbox.Sandbox;
import ai.clawbot.host.sandbox.ToolOutcome;
import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.plugin.manifest.Effect;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way into the sandbox for a tool call, whatever door it came in by (the agent loop, {@code tools.invoke},
 * any later HTTP or MCP door). In order: the policy chain for (agent, session) judges the name (deny wins; a refusal
 * is audited and starts no container) → the skill and tool must be loaded and the arguments match the input schema
 * (checked before an operator is asked, so nobody approves a call that cannot run) → the manifest's permissions
 * checked against every layer's ceiling → an operator approval for {@code external} / {@code secret} effects (an
 * {@code approval.requested} event carrying the tool's declared preview, run first by {@link ApprovalPreviews};
 * abort-aware; a timeout is a denial) → the sandbox with the permissions narrowed
 * to what the policy allows → an audit line. Thread-safe; {@link #call} blocks its caller while it waits for an
 * operator, so doors run it on their own (virtual) thread.
 */
public final class ToolGate {

    /** The agent loop's door. */
    public static final String AGENT = "agent";
    /** The protocol's {@code tools.invoke} door. */
    public static final String TOOLS_INVOKE = "tools.invoke";
    /** The layer of a refusal of a tool the loop never offered to the model (and no policy layer denies). */
    public static final String NOT_OFFERED = "offered";

    private static final long POLL_MS = 100;

    /** One call: who asks (the agent as configured, the canonical session key), by which door, and what. */
    public record Request(AgentDefinition agent, String sessionKey, String door, String skill, String tool,
                          JsonNode args) {
        public Request {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(door, "door");
            args = args == null || args.isNull() || args.isMissingNode() ? JsonNodeFactory.instance.objectNode() : args;
        }
    }

    private final SkillRouter router;
    private final ApprovalPreviews previews;
    private final BiFunction<AgentDefinition, String, PolicyChain> policies;
    private final Function<AgentDefinition, PreApprovals> preApprovals;
    private final ApprovalQueue approvals;
    private volatile InstallRequests installRequests;
    private final PolicyAudit audit;
    private final Supplier<Duration> approvalTimeout;
    private final SecretTaint taint = new SecretTaint();
    private final java.util.function.Consumer<String> revealed;

    private ToolGate(Builder b) {
        this.router = new SkillRouter(Objects.requireNonNull(b.catalog, "catalog"), Objects.requireNonNull(b.sandbox, "sandbox"),
                Objects.requireNonNull(b.workspaces, "workspace"), id -> withInstalled(id, b.settings.apply(id)));
        this.policies = Objects.requireNonNull(b.policies, "policies");
        this.preApprovals = b.preApprovals;
        this.approvals = Objects.requireNonNull(b.approvals, "approvals");
        this.audit = Objects.requireNonNull(b.audit, "audit");
        this.previews = new ApprovalPreviews(router, audit);
        this.approvalTimeout = b.approvalTimeout;
        this.revealed = b.revealed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decides and, when everything allows it, runs one call. Never throws for a refused or failed call.
     *
     * @param aborted polled while the call waits for an operator; true withdraws the approval request
     */
    public GateOutcome call(Request r, BooleanSupplier aborted) throws InterruptedException {
        long t0 = System.nanoTime();
        SkillCatalog current = router.catalog();
        PolicyChain chain = policies.apply(r.agent(), r.sessionKey());
        Decision decision = chain.decide(current.skills().stream().map(LoadedSkill::manifest).toList(), r.skill(), r.tool());
        if (decision instanceof Decision.Denied d && !names(d)) {
            return refused(r, d);
        }
        Optional<GateOutcome> bad = router.refuse(current, r.skill(), r.tool(), r.args());
        if (bad.isPresent()) {
            if (decision instanceof Decision.Denied d) {
                audit.refused(r.door(), r.agent().id(), r.sessionKey(), r.skill(), r.tool(), d, r.args());
            }
            return bad.get();
        }
        if (!(decision instanceof Decision.Allowed allowed)) {
            // The catalog changed between the decision and the lookup; judge again rather than run unjudged.
            return new GateOutcome.SkillChanged(r.skill(), r.tool());
        }
        LoadedSkill skill = current.find(r.skill()).orElseThrow();
        Effect effect = skill.manifest().tool(r.tool()).orElseThrow().effect();
        boolean afterSecret = skill.manifest().sendsOut(effect, allowed.permissions().network())
                && taint.has(r.agent().id(), r.sessionKey());
        if (ApprovalQueue.needsApproval(effect) || afterSecret) {
            InstallRequests installs = installRequests;
            if (installs != null && InstallRequests.isInstallRequest(r.skill(), r.tool())) {
                return installRequest(installs, r, effect, allowed, aborted, t0);
            }
            PreApprovals pre = afterSecret ? PreApprovals.none() : preApprovals.apply(r.agent());
            // A pre-approved call needs no preview: nobody would read it.
            JsonNode preview = pre != null && pre.covers(r.skill(), r.tool(), r.args()) ? null
                    : previews.preview(r, skill, skill.manifest().tool(r.tool()).orElseThrow(), allowed.permissions(),
                            afterSecret).orElse(null);
            GateOutcome refused = awaitApproval(r, effect, allowed.permissions().summary() + (afterSecret
                    ? "; this session was shown a secret, and this call can send data out" : ""), aborted, pre, preview);
            if (refused != null) {
                return refused;
            }
        }
        GateOutcome outcome = router.dispatch(r.agent().id(), r.sessionKey(), skill, r.tool(), r.args(),
                allowed.permissions(), t0);
        if (outcome instanceof GateOutcome.Ran ran) {
            audit.ran(r.door(), r.agent().id(), r.sessionKey(), r.skill(), r.tool(), describe(ran),
                    ran.granted().summary(), r.args());
            if (effect == Effect.SECRET && ran.outcome() instanceof ToolOutcome.Ok ok && !ok.isError()) {
                taint.mark(r.agent().id(), r.sessionKey());
                revealed.accept(ok.text());
            }
        }
        return outcome;
    }

    /**
     * Refuses a call to a tool the loop did not offer (never runs it): the policy's reason when a layer denies it,
     * else {@value #NOT_OFFERED}. Audited like any refusal.
     */
    public GateOutcome.Refused refuseUnoffered(Request r) {
        SkillCatalog current = router.catalog();
        Decision decision = policies.apply(r.agent(), r.sessionKey())
                .decide(current.skills().stream().map(LoadedSkill::manifest).toList(), r.skill(), r.tool());
        Decision.Denied denied = decision instanceof Decision.Denied d ? d
                : new Decision.Denied(NOT_OFFERED, "tool " + r.skill() + "." + r.tool() + " was not offered to this agent",
                        "offered");
        return refused(r, denied);
    }

    private GateOutcome.Refused refused(Request r, Decision.Denied d) {
        audit.refused(r.door(), r.agent().id(), r.sessionKey(), r.skill(), r.tool(), d, r.args());
        return new GateOutcome.Refused(r.skill(), r.tool(), d.layer(), d.rule(), d.reason());
    }

    /** A refusal because the name is malformed or not loaded: reported as unknown, not as a policy rule. */
    private static boolean names(Decision.Denied d) {
        return Decision.Denied.REQUEST.equals(d.layer()) || Decision.Denied.CATALOG.equals(d.layer());
    }

    private static String describe(GateOutcome.Ran ran) {
        String how = switch (ran.outcome()) {
            case ToolOutcome.Ok ok -> ok.isError() ? "tool error" : "ok";
            case ToolOutcome.Failed f -> "failed " + f.code();
            case ToolOutcome.TimedOut t -> "timed out after " + t.deadline().toMillis() + " ms";
        };
        return how + " in " + ran.durationMs() + " ms";
    }

    /**
     * An agent's install request: the gateway verifies the plugin first (a refusal needs no operator), the operator
     * sees the preview and diff (never pre-approved), a yes installs the previewed bytes, then the skill's tool runs.
     */
    private GateOutcome installRequest(InstallRequests installs, Request r, Effect effect, Decision.Allowed allowed,
                                       BooleanSupplier aborted, long t0) throws InterruptedException {
        InstallRequests.Proposal p = installs.propose(r.tool(), r.args());
        if (p instanceof InstallRequests.Proposal.Refused x) {
            Decision.Denied d = new Decision.Denied("registry", "install request refused: " + x.message(), x.reason());
            return refused(r, d);
        }
        InstallRequests.Proposal.Offered offer = (InstallRequests.Proposal.Offered) p;
        GateOutcome refused = awaitApproval(r, effect, offer.describe(), aborted, PreApprovals.none(), null);
        if (refused != null) {
            return refused;
        }
        Optional<String> failed = installs.install(offer);
        if (failed.isPresent()) {
            return refused(r, new Decision.Denied("registry", "approved, but not installed: " + failed.get(), "INSTALL_FAILED"));
        }
        SkillCatalog current = router.catalog();
        LoadedSkill skill = current.find(r.skill()).orElse(null);
        if (skill == null) {
            return new GateOutcome.SkillChanged(r.skill(), r.tool());
        }
        GateOutcome outcome = router.dispatch(r.agent().id(), r.sessionKey(), skill, r.tool(), r.args(), allowed.permissions(), t0);
        if (outcome instanceof GateOutcome.Ran ran) {
            audit.ran(r.door(), r.agent().id(), r.sessionKey(), r.skill(), r.tool(), describe(ran), ran.granted().summary(), r.args());
        }
        return outcome;
    }

    /** The clawhub skill also learns which plugins are installed (id → version), so its list can show updates. */
    private Map<String, String> withInstalled(String skillId, Map<String, String> settings) {
        InstallRequests installs = installRequests;
        return installs == null || !InstallRequests.SKILL.equals(skillId) ? settings : installs.withInstalled(settings);
    }

    /** Set once at wiring: where install requests are verified and carried out (none: they are plain external calls). */
    public void useInstallRequests(InstallRequests installs) {
        this.installRequests = installs;
    }

    /** Null when approved; else the outcome that says why not. */
    private GateOutcome awaitApproval(Request r, Effect effect, String permissions, BooleanSupplier aborted,
                                      PreApprovals pre, JsonNode preview) throws InterruptedException {
        ApprovalRequest req = ApprovalRequest.of(r.agent().id(), r.sessionKey(), r.skill(), r.tool(), r.args(), effect,
                permissions).withPreview(preview);
        CompletableFuture<ApprovalDecision> pending = approvals.request(req, approvalTimeout.get(), pre);
        ApprovalDecision d;
        while (true) {
            try {
                d = pending.get(POLL_MS, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                if (aborted.getAsBoolean()) {
                    approvals.withdraw(req.id(), "the caller aborted (run stopped or connection closed) before anyone decided");
                    return new GateOutcome.Aborted(r.skill(), r.tool());
                }
            } catch (InterruptedException e) {
                approvals.withdraw(req.id(), "the caller was interrupted before anyone decided");
                throw e;
            } catch (ExecutionException e) {
                return new GateOutcome.Denied(r.skill(), r.tool(), ApprovalDecision.Denied.SYSTEM,
                        "the approval failed: " + e.getCause().getMessage());
            }
        }
        return switch (d) {
            case ApprovalDecision.Approved a -> null;
            case ApprovalDecision.Denied x -> new GateOutcome.Denied(r.skill(), r.tool(), x.by(), x.reason());
            case ApprovalDecision.TimedOut t -> new GateOutcome.ApprovalTimedOut(r.skill(), r.tool(), t.after());
        };
    }

    /** Assembles a gate; every part but settings and pre-approvals is required. */
    public static final class Builder {
        private Supplier<SkillCatalog> catalog;
        private Sandbox sandbox;
        private Function<String, Path> workspaces;
        private Function<String, Map<String, String>> settings = id -> Map.of();
        private BiFunction<AgentDefinition, String, PolicyChain> policies;
        private Function<AgentDefinition, PreApprovals> preApprovals = a -> PreApprovals.none();
        private ApprovalQueue approvals;
        private PolicyAudit audit;
        private Supplier<Duration> approvalTimeout = () -> Duration.ofMinutes(2);
        private java.util.function.Consumer<String> revealed = text -> { };

        private Builder() {
        }

        public Builder catalog(Supplier<SkillCatalog> catalog) {
            this.catalog = catalog;
            return this;
        }

        public Builder sandbox(Sandbox sandbox) {
            this.sandbox = sandbox;
            return this;
        }

        /** The folder every agent's sandboxes get as their workspace. */
        public Builder workspace(Path workspace) {
            return workspaces(agentId -> workspace);
        }

        /** Which folder an agent's sandboxes get as their workspace. */
        public Builder workspaces(Function<String, Path> byAgent) {
            this.workspaces = byAgent;
            return this;
        }

        /** Where a skill's settings come from ({@code plugins.entries.<id>.settings}). */
        public Builder settings(Function<String, Map<String, String>> bySkill) {
            this.settings = bySkill;
            return this;
        }

        /** The chain global → agent → session for an agent and a canonical session key. */
        public Builder policies(BiFunction<AgentDefinition, String, PolicyChain> policies) {
            this.policies = policies;
            return this;
        }

        /** An agent's {@code approvals.autoApprove}. */
        public Builder preApprovals(Function<AgentDefinition, PreApprovals> preApprovals) {
            this.preApprovals = preApprovals;
            return this;
        }

        public Builder approvals(ApprovalQueue approvals, Duration timeout) {
            this.approvals = approvals;
            this.approvalTimeout = () -> timeout;
            return this;
        }

        public Builder audit(PolicyAudit audit) {
            this.audit = audit;
            return this;
        }

        /** Told each value a {@code secret} tool revealed (the gateway's log and audit redactor registers it). */
        public Builder revealed(java.util.function.Consumer<String> sink) {
            this.revealed = Objects.requireNonNull(sink, "sink");
            return this;
        }

        public ToolGate build() {
            return new ToolGate(this);
        }
    }
}
