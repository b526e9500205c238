package ai.clawbot.host.tools;

import ai.clawbot.host.policy.EffectivePermissions;
import ai.clawbot.host.sandbox.ToolOutcome;
import ai.clawbot.manifests.ManifestCheck.Violation;
import java.time.Duration;
import java.util.List;

/**
 * How the gate ended one tool call. Only {@link Ran} reached a sandbox; every other outcome started no container.
 * Each door renders these once: the agent loop as a tool result ({@link AgentToolInvoker}), {@code tools.invoke}
 * as a protocol result or typed error.
 */
public sealed interface GateOutcome {

    /** Dispatched: the sandbox's outcome, with the permissions it was granted (the manifest's, narrowed by policy). */
    record Ran(String skill, String tool, ToolOutcome outcome, EffectivePermissions granted, long durationMs)
            implements GateOutcome {
    }

    /**
     * The policy chain refused the call.
     *
     * @param layer  {@code global}, {@code agent:<id>}, {@code session:<key>}, or {@code offered} (the loop never
     *               offered that tool)
     * @param rule   the refusing rule as configured ({@code tools.deny: workspace.exec}, {@code skills.allow}, ...)
     * @param reason a sentence for the caller
     */
    record Refused(String skill, String tool, String layer, String rule, String reason) implements GateOutcome {
    }

    /** An operator (or the approval queue itself: overflow, shutdown) refused the call. */
    record Denied(String skill, String tool, String by, String reason) implements GateOutcome {
    }

    /** Nobody approved the call in time: treated as denied. */
    record ApprovalTimedOut(String skill, String tool, Duration after) implements GateOutcome {
    }

    /** The caller went away (run aborted, connection closed) while the call waited for approval. */
    record Aborted(String skill, String tool) implements GateOutcome {
    }

    record UnknownSkill(String skill, List<String> known) implements GateOutcome {
    }

    record UnknownTool(String skill, String tool, List<String> known) implements GateOutcome {
    }

    record InvalidArgs(String skill, String tool, List<Violation> violations) implements GateOutcome {
    }

    /** The plugin was replaced between the decision and the dispatch: its new permissions were never judged. */
    record SkillChanged(String skill, String tool) implements GateOutcome {
    }

    /** {@code skill.tool}. */
    default String qualified() {
        return switch (this) {
            case Ran r -> r.skill() + "." + r.tool();
            case Refused r -> r.skill() + "." + r.tool();
            case Denied d -> d.skill() + "." + d.tool();
            case ApprovalTimedOut t -> t.skill() + "." + t.tool();
            case Aborted a -> a.skill() + "." + a.tool();
            case UnknownSkill u -> u.skill();
            case UnknownTool u -> u.skill() + "." + u.tool();
            case InvalidArgs i -> i.skill() + "." + i.tool();
            case SkillChanged c -> c.skill() + "." + c.tool();
        };
    }
}
