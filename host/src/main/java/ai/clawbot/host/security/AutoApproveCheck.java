package ai.clawbot.host.security;

import ai.clawbot.plugin.manifest.Effect;
import java.util.ArrayList;
import java.util.List;

/** {@code approvals.autoApprove} covering {@code external} or {@code secret} tools: the human check is switched off. */
record AutoApproveCheck() implements AuditCheck {

    static final String ID = "approvals.auto_approve_sensitive";

    @Override
    public List<Finding> run(AuditContext c) {
        List<Finding> out = new ArrayList<>();
        for (AgentTools a : AgentTools.of(c)) {
            List<String> covered = a.tools().stream()
                    .filter(t -> t.tool().effect() == Effect.EXTERNAL || t.tool().effect() == Effect.SECRET)
                    .filter(t -> a.preApprovals().covers(t.skill().id(), t.tool().name()))
                    .map(t -> t.name() + " [" + t.tool().effect().wire() + "]").toList();
            boolean wildcard = a.preApprovals().patterns().contains("*");
            if (covered.isEmpty() && !wildcard) {
                continue;
            }
            String detail = covered.isEmpty()
                    ? "autoApprove is '*': every external or secret tool installed later runs without asking"
                    : "these run without an operator's approval: " + String.join(", ", covered);
            out.add(Finding.warn(ID, "agent '" + a.agent().id() + "' pre-approves tools that send data out or reveal secrets",
                    detail, "remove them (and '*') from agents.list[id=" + a.agent().id() + "].approvals.autoApprove"));
        }
        return out;
    }
}
