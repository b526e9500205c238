package ai.clawbot.host.policy;

import ai.clawbot.host.secrets.SecretNames;
import ai.clawbot.plugin.manifest.WorkspaceAccess;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** The strict JSON reading behind {@link PolicyLayer#fromJson} and {@link PreApprovals#fromJson}. */
final class PolicyJson {

    private PolicyJson() {
    }

    static PolicyLayer layer(String name, JsonNode node) {
        if (absent(node)) {
            return PolicyLayer.open(name);
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected an object, got " + node.getNodeType());
        }
        return new PolicyLayer(name, skills(node.get("skills")), tools(node.get("tools")),
                permissions(node.get("permissions")));
    }

    private static AllowDeny skills(JsonNode n) {
        if (absent(n)) {
            return AllowDeny.OPEN;
        }
        if (n.isArray()) { // agents.list[].skills: the allow list
            return AllowDeny.skills(checked(strings(n, "skills"), "skills", SKILL), List.of());
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("skills must be an array of skill ids or {allow, deny}");
        }
        onlyKeys(n, "skills", Set.of("allow", "deny"));
        return AllowDeny.skills(
                checked(optionalStrings(n.get("allow"), "skills.allow"), "skills.allow", SKILL).orElse(null),
                checked(denyList(n, "skills"), "skills.deny", SKILL));
    }

    private static AllowDeny tools(JsonNode n) {
        if (absent(n)) {
            return AllowDeny.OPEN;
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("tools must be {allow, deny}");
        }
        // OpenClaw keys that would mean something here but have no equivalent: refuse rather than ignore.
        if (n.has("profile")) {
            throw new IllegalArgumentException("tools.profile is not supported: list skill tools in tools.allow");
        }
        if (n.has("elevated")) {
            throw new IllegalArgumentException("tools.elevated is not supported: no tool runs outside its sandbox");
        }
        onlyKeys(n, "tools", Set.of("allow", "deny"));
        return AllowDeny.tools(
                checked(optionalStrings(n.get("allow"), "tools.allow"), "tools.allow", TOOL).orElse(null),
                checked(denyList(n, "tools"), "tools.deny", TOOL));
    }

    private static PermissionCeiling permissions(JsonNode n) {
        if (absent(n)) {
            return PermissionCeiling.OPEN;
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("permissions must be {workspace, network, secrets}");
        }
        onlyKeys(n, "permissions", Set.of("workspace", "network", "secrets"));
        return new PermissionCeiling(workspace(n.get("workspace")), network(n.get("network")),
                optionalStrings(n.get("secrets"), "permissions.secrets")
                        .map(s -> Set.copyOf(checked(s, "permissions.secrets", SECRET))));
    }

    private static Optional<WorkspaceAccess> workspace(JsonNode n) {
        if (absent(n)) {
            return Optional.empty();
        }
        String w = n.isTextual() ? n.asText() : "";
        return switch (w) {
            case "none" -> Optional.of(WorkspaceAccess.NONE);
            case "ro" -> Optional.of(WorkspaceAccess.RO);
            case "rw" -> Optional.of(WorkspaceAccess.RW);
            default -> throw new IllegalArgumentException("permissions.workspace must be \"none\", \"ro\" or \"rw\"");
        };
    }

    private static Optional<Set<String>> network(JsonNode n) {
        if (absent(n)) {
            return Optional.empty();
        }
        if (n.isTextual() && n.asText().equals("none")) {
            return Optional.of(Set.of());
        }
        if (!n.isObject() || !n.has("allow")) {
            throw new IllegalArgumentException("permissions.network must be \"none\" or {allow: [hosts]}");
        }
        onlyKeys(n, "permissions.network", Set.of("allow"));
        return Optional.of(Set.copyOf(strings(n.get("allow"), "permissions.network.allow")));
    }

    private record Rule(Predicate<String> valid, String what) {
    }

    private static final Rule SKILL = new Rule(PolicyNames::isSkillPattern,
            "a skill id (" + PolicyNames.SKILL_ID + ") or *");
    private static final Rule TOOL = new Rule(PolicyNames::isToolPattern,
            "skill.tool, skill.* or * (skill ids " + PolicyNames.SKILL_ID + ", tool names "
                    + PolicyNames.TOOL_NAME + ")");
    private static final Rule SECRET = new Rule(SecretNames::isValid, "a secret name (" + SecretNames.RULE + ")");

    private static List<String> checked(List<String> items, String path, Rule rule) {
        for (int i = 0; i < items.size(); i++) {
            if (!rule.valid().test(items.get(i))) {
                throw new IllegalArgumentException(path + "[" + i + "]: " + PolicyNames.quote(items.get(i))
                        + " is not " + rule.what());
            }
        }
        return items;
    }

    private static Optional<List<String>> checked(Optional<List<String>> items, String path, Rule rule) {
        return items.map(i -> checked(i, path, rule));
    }

    static List<String> denyList(JsonNode n, String path) {
        return optionalStrings(n.get("deny"), path + ".deny").orElse(List.of());
    }

    static Optional<List<String>> optionalStrings(JsonNode n, String path) {
        return absent(n) ? Optional.empty() : Optional.of(strings(n, path));
    }

    static List<String> strings(JsonNode n, String path) {
        if (n == null || !n.isArray()) {
            throw new IllegalArgumentException(path + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isTextual()) {
                throw new IllegalArgumentException(path + "[" + i + "] must be a string, got "
                        + n.get(i).getNodeType());
            }
            out.add(n.get(i).asText());
        }
        return out;
    }

    static void onlyKeys(JsonNode n, String path, Set<String> known) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown key " + path + "." + PolicyNames.quote(k)
                        + " (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    static boolean absent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }
}
