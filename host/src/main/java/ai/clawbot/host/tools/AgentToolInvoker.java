package ai.clawbot.host.tools;

import ai.clawbot.host.agents.ToolInvoker;
import ai.clawbot.host.sandbox.ToolOutcome;

/**
 * The agent loop's door into the {@link ToolGate}, and the one place a {@link GateOutcome} becomes the result the
 * model reads (status {@code ok}, {@code error}, {@code refused}, {@code denied}, {@code timeout}, {@code aborted}).
 */
public final class AgentToolInvoker implements ToolInvoker {

    private final ToolGate gate;

    public AgentToolInvoker(ToolGate gate) {
        this.gate = gate;
    }

    @Override
    public ToolResult invoke(ToolCall call, CallContext ctx) throws InterruptedException {
        long t0 = System.nanoTime();
        GateOutcome outcome = gate.call(request(call, ctx), ctx.aborted());
        return result(outcome, (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public ToolResult refuseUnoffered(ToolCall call, CallContext ctx) {
        return result(gate.refuseUnoffered(request(call, ctx)), 0);
    }

    private static ToolGate.Request request(ToolCall call, CallContext ctx) {
        return new ToolGate.Request(ctx.agent(), ctx.sessionKey(), ToolGate.AGENT, call.skill(), call.tool(), call.args());
    }

    /** What the model is told, for every way a call can end. */
    public static ToolResult result(GateOutcome outcome, long ms) {
        String q = outcome.qualified();
        return switch (outcome) {
            case GateOutcome.Refused r -> new ToolResult("refused", "policy refused " + q + ": " + r.reason(), true, ms);
            case GateOutcome.Denied d -> new ToolResult("denied", "the operator denied " + q
                    + (d.reason() == null || d.reason().isBlank() ? "" : ": " + d.reason()) + "; do not retry it unchanged",
                    true, 0);
            case GateOutcome.ApprovalTimedOut t -> new ToolResult("timeout", "no operator approved " + q + " within "
                    + (t.after().toMillis() < 1000 ? t.after().toMillis() + " ms" : t.after().toSeconds() + " s")
                    + ", so it was denied", true, ms);
            case GateOutcome.Aborted a -> new ToolResult("aborted", "the run was stopped while " + q
                    + " waited for approval", true, ms);
            case GateOutcome.UnknownSkill u -> new ToolResult("error", "no skill '" + u.skill() + "' is loaded", true, ms);
            case GateOutcome.UnknownTool u -> new ToolResult("error", "skill '" + u.skill() + "' has no tool '" + u.tool()
                    + "' (tools: " + String.join(", ", u.known()) + ")", true, ms);
            case GateOutcome.InvalidArgs bad -> new ToolResult("error", "the arguments do not match the input schema of "
                    + q + ": " + bad.violations(), true, ms);
            case GateOutcome.SkillChanged c -> new ToolResult("error", "skill '" + c.skill()
                    + "' was changed while this call was being checked; retry it", true, ms);
            case GateOutcome.Ran ran -> switch (ran.outcome()) {
                case ToolOutcome.Ok ok -> new ToolResult(ok.isError() ? "error" : "ok", ok.text(), ok.isError(),
                        ran.durationMs());
                case ToolOutcome.Failed f -> new ToolResult("error", q + " failed: " + f.message(), true, ran.durationMs());
                case ToolOutcome.TimedOut t -> new ToolResult("timeout", q + " ran past its " + t.deadline().toMillis()
                        + " ms deadline and was stopped", true, ran.durationMs());
            };
        };
    }
}
