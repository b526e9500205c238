package ai.clawbot.host.agents;

import ai.clawbot.host.policy.ApprovalDecision;
import ai.clawbot.host.policy.ApprovalQueue;
import ai.clawbot.host.policy.ApprovalRequest;
import ai.clawbot.host.policy.Decision;
import ai.clawbot.host.policy.PolicyAudit;
import ai.clawbot.host.policy.PolicyChain;
import ai.clawbot.host.policy.PreApprovals;
import ai.clawbot.host.sandbox.ToolOutcome;
import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.host.skills.SkillRouter;
import ai.clawbot.plugin.manifest.Effect;
import ai.clawbot.plugin.manifest.Permissions;
import ai.clawbot.plugin.manifest.SkillManifest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The real tool path of an agent: policy (deny wins; a refusal is audited and starts no container), then an
 * operator approval for tools whose effect is {@code external} or {@code secret} (unless pre-approved; a timeout
 * is a denial), then the sandbox with the manifest's permissions narrowed to what the policy allows.
 */
public final class SandboxToolInvoker implements ToolInvoker {

    private final Supplier<SkillCatalog> catalog;
    private final SkillRouter router;
    private final BiFunction<AgentDefinition, String, PolicyChain> policies;
    private final Function<AgentDefinition, PreApprovals> preApprovals;
    private final ApprovalQueue approvals;
    private final PolicyAudit audit;
    private final Duration approvalTimeout;

    public SandboxToolInvoker(Supplier<SkillCatalog> catalog, SkillRouter router,
                              BiFunction<AgentDefinition, String, PolicyChain> policies,
                              Function<AgentDefinition, PreApprovals> preApprovals, ApprovalQueue approvals,
                              PolicyAudit audit, Duration approvalTimeout) {
        this.catalog = catalog;
        this.router = router;
        this.policies = policies;
        this.preApprovals = preApprovals;
        this.approvals = approvals;
        this.audit = audit;
        this.approvalTimeout = approvalTimeout;
    }

    @Override
    public ToolResult invoke(ToolCall call, CallContext ctx) throws InterruptedException {
        long t0 = System.nanoTime();
        List<SkillManifest> manifests = manifests();
        PolicyChain chain = policies.apply(ctx.agent(), ctx.sessionKey());
        Decision decision = chain.decide(manifests, call.skill(), call.tool());
        if (decision instanceof Decision.Denied denied) {
            audit.refused(ctx.agent().id(), ctx.sessionKey(), call.skill(), call.tool(), denied, call.args());
            return ToolResult.refused("policy refused " + call.qualified() + ": " + denied.reason());
        }
        Decision.Allowed allowed = (Decision.Allowed) decision;
        SkillManifest manifest = manifests.stream().filter(m -> m.id().equals(call.skill())).findFirst().orElseThrow();
        Effect effect = manifest.tool(call.tool()).orElseThrow().effect();
        if (ApprovalQueue.needsApproval(effect)) {
            ToolResult refused = awaitApproval(call, ctx, effect, allowed.permissions().summary(), t0);
            if (refused != null) {
                return refused;
            }
        }
        SkillRouter.Routed routed;
        try {
            routed = router.invoke(ctx.agent().id(), ctx.sessionKey(), call.skill(), call.tool(), call.args(), m -> {
                if (!m.equals(manifest)) {
                    // The plugin changed between the decision and the call: its permissions were not judged.
                    throw new ManifestChanged();
                }
                return new SkillManifest(m.id(), m.version(), m.description(), m.tools(), m.sandbox(),
                        new Permissions(allowed.permissions().workspace(), allowed.permissions().secrets(),
                                m.permissions().resources()),
                        allowed.permissions().network());
            });
        } catch (ManifestChanged e) {
            return new ToolResult("error", "skill '" + call.skill() + "' was changed while this call was being checked; "
                    + "retry it", true, (System.nanoTime() - t0) / 1_000_000);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return switch (routed) {
            case SkillRouter.Routed.UnknownSkill u -> new ToolResult("error", "no skill '" + u.skill() + "' is loaded", true, ms);
            case SkillRouter.Routed.UnknownTool u -> new ToolResult("error", "skill '" + u.skill() + "' has no tool '"
                    + u.tool() + "' (tools: " + String.join(", ", u.known()) + ")", true, ms);
            case SkillRouter.Routed.InvalidArgs bad -> new ToolResult("error", "the arguments do not match the input schema of "
                    + call.qualified() + ": " + bad.violations(), true, ms);
            case SkillRouter.Routed.Ran ran -> switch (ran.outcome()) {
                case ToolOutcome.Ok ok -> new ToolResult(ok.isError() ? "error" : "ok", ok.text(), ok.isError(), ms);
                case ToolOutcome.Failed f -> new ToolResult("error", call.qualified() + " failed: " + f.message(), true, ms);
                case ToolOutcome.TimedOut t -> new ToolResult("timeout", call.qualified() + " ran past its "
                        + t.deadline().toMillis() + " ms deadline and was stopped", true, ms);
            };
        };
    }

    private List<SkillManifest> manifests() {
        return catalog.get().skills().stream().map(LoadedSkill::manifest).toList();
    }

    private static final class ManifestChanged extends RuntimeException {
        ManifestChanged() {
            super(null, null, false, false);
        }
    }

    @Override
    public ToolResult refuseUnoffered(ToolCall call, CallContext ctx) {
        Decision decision = policies.apply(ctx.agent(), ctx.sessionKey()).decide(manifests(), call.skill(), call.tool());
        Decision.Denied denied = decision instanceof Decision.Denied d ? d
                : new Decision.Denied(Decision.Denied.REQUEST, "tool " + call.qualified() + " was not offered to this agent");
        audit.refused(ctx.agent().id(), ctx.sessionKey(), call.skill(), call.tool(), denied, call.args());
        return ToolResult.refused("policy refused " + call.qualified() + ": " + denied.reason());
    }

    /** Null when approved; else the result that tells the model why not. */
    private ToolResult awaitApproval(ToolCall call, CallContext ctx, Effect effect, String permissions, long t0)
            throws InterruptedException {
        ApprovalRequest req = ApprovalRequest.of(ctx.agent().id(), ctx.sessionKey(), call.skill(), call.tool(), call.args(),
                effect, permissions);
        CompletableFuture<ApprovalDecision> pending = approvals.request(req, approvalTimeout, preApprovals.apply(ctx.agent()));
        ApprovalDecision d;
        while (true) {
            try {
                d = pending.get(100, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                if (ctx.aborted().getAsBoolean()) {
                    approvals.withdraw(req.id(), "the run was aborted before anyone decided");
                    return new ToolResult("aborted", "the run was stopped while " + call.qualified() + " waited for approval",
                            true, (System.nanoTime() - t0) / 1_000_000);
                }
            } catch (ExecutionException e) {
                return new ToolResult("denied", "the approval of " + call.qualified() + " failed: " + e.getCause().getMessage(),
                        true, (System.nanoTime() - t0) / 1_000_000);
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return switch (d) {
            case ApprovalDecision.Approved a -> null;
            case ApprovalDecision.Denied x -> new ToolResult("denied", "the operator denied " + call.qualified()
                    + (x.reason() == null || x.reason().isBlank() ? "" : ": " + x.reason()) + "; do not retry it unchanged",
                    true, ms);
            case ApprovalDecision.TimedOut t -> new ToolResult("timeout", "no operator approved " + call.qualified()
                    + " within " + (t.after().toMillis() < 1000 ? t.after().toMillis() + " ms" : t.after().toSeconds() + " s")
                    + ", so it was denied", true, ms);
        };
    }
}
