package ai.clawbot.host.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * An agent's {@code approvals.autoApprove} tool patterns ({@code skill.tool}, {@code skill.*}, {@code *}):
 * a matching call that needs approval is approved at once, by {@value ApprovalDecision.Approved#PRE_APPROVED}.
 * It never widens policy: it only applies to calls the policy already allowed.
 */
public record PreApprovals(Set<String> patterns, Set<String> references) {

    /** The one tool a pre-approved reference applies to: revealing exactly that reference, nothing else. */
    public static final String REFERENCE_TOOL = "onepassword.read";

    public PreApprovals {
        patterns = patterns == null ? Set.of() : AllowDeny.tools(patterns, null).allow().orElseThrow();
        java.util.Set<String> canonical = new java.util.TreeSet<>();
        for (String r : references == null ? Set.<String>of() : references) {
            canonical.add(ai.clawbot.plugin.onepassword.SecretReference.parse(r).toString());
        }
        references = Set.copyOf(canonical);
    }

    public PreApprovals(Set<String> patterns) {
        this(patterns, Set.of());
    }

    public static PreApprovals none() {
        return new PreApprovals(Set.of(), Set.of());
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
        PolicyJson.onlyKeys(node, "approvals", Set.of("autoApprove", "references"));
        var list = PolicyJson.optionalStrings(node.get("autoApprove"), "approvals.autoApprove");
        for (String p : list.orElse(java.util.List.of())) {
            if (NEVER.stream().anyMatch(t -> p.equals(t)) || p.equals("clawhub.*")) {
                throw new IllegalArgumentException("approvals.autoApprove: '" + p + "' names plugin installs or updates"
                        + " (clawhub.install, clawhub.update), which are never pre-approvable: an operator must see each one");
            }
        }
        var refs = PolicyJson.optionalStrings(node.get("references"), "approvals.references");
        Set<String> patterns;
        try {
            patterns = Set.copyOf(list.orElse(java.util.List.of()));
            new PreApprovals(patterns, Set.of());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("approvals.autoApprove: " + e.getMessage(), e);
        }
        try {
            return new PreApprovals(patterns, Set.copyOf(refs.orElse(java.util.List.of())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("approvals.references: " + e.getMessage(), e);
        }
    }

    /**
     * {@link #covers(String, String)}, or a {@value #REFERENCE_TOOL} call whose {@code reference} is exactly one the
     * operator listed in {@code approvals.references} (compared in canonical form).
     */
    public boolean covers(String skill, String tool, com.fasterxml.jackson.databind.JsonNode args) {
        if (covers(skill, tool)) {
            return true;
        }
        if (references.isEmpty() || !REFERENCE_TOOL.equals(skill + "." + tool) || args == null
                || !args.path("reference").isTextual()) {
            return false;
        }
        try {
            return references.contains(ai.clawbot.plugin.onepassword.SecretReference.parse(args.path("reference").asText()).toString());
        } catch (IllegalArgumentException e) {
            return false;
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
