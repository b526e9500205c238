package ai.clawbot.host.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * An agent's {@code approvals.autoApprove} tool patterns ({@code skill.tool}, {@code skill.*}, {@code *}):
 * a matching call that needs approval is approved at once, by {@value ApprovalDecision.Approved#PRE_APPROVED}.
 * It never widens policy: it only applies to calls the policy already allowed.
 */
public record PreApprovals(Set<String> patterns) {

    public PreApprovals {
        patterns = patterns == null ? Set.of() : AllowDeny.tools(patterns, null).allow().orElseThrow();
    }

    public static PreApprovals none() {
        return new PreApprovals(Set.of());
    }

    /**
     * Reads {@code {"autoApprove": ["obsidian.create", "himalaya.*"]}}; null or missing means none.
     *
     * @throws IllegalArgumentException on any other shape, an unknown key, or a bad pattern
     */
    public static PreApprovals fromJson(JsonNode node) {
        if (PolicyJson.absent(node)) {
            return none();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("approvals must be {autoApprove: [tool patterns]}");
        }
        PolicyJson.onlyKeys(node, "approvals", Set.of("autoApprove"));
        var list = PolicyJson.optionalStrings(node.get("autoApprove"), "approvals.autoApprove");
        for (String p : list.orElse(java.util.List.of())) {
            if (NEVER.stream().anyMatch(t -> p.equals(t)) || p.equals("clawhub.*")) {
                throw new IllegalArgumentException("approvals.autoApprove: '" + p + "' names plugin installs or updates"
                        + " (clawhub.install, clawhub.update), which are never pre-approvable: an operator must see each one");
            }
        }
        try {
            return new PreApprovals(Set.copyOf(list.orElse(java.util.List.of())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("approvals.autoApprove: " + e.getMessage(), e);
        }
    }

    /** Tools no pattern covers, whatever it says (plugin installs and updates: an operator decides each one). */
    public static final java.util.List<String> NEVER = java.util.List.of("clawhub.install", "clawhub.update");

    public boolean covers(String skill, String tool) {
        String q = PolicyNames.qualified(skill, tool);
        if (NEVER.contains(q)) {
            return false;
        }
        return PolicyNames.isSkillId(skill) && PolicyNames.isToolName(tool)
                && patterns.stream().anyMatch(p -> PolicyNames.matches(p, q));
    }
}
