package ai.clawbot.host.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Objects;

/**
 * One link of the policy chain (global, an agent, a session): skill and tool allow/deny, and a permission
 * ceiling. A layer can only narrow; what it leaves absent is not narrowed.
 *
 * @param name {@code global}, {@code agent:<id>} or {@code session:<key>} (shown as "agent 'id'" in reasons)
 */
public record PolicyLayer(String name, AllowDeny skills, AllowDeny tools, PermissionCeiling ceiling) {

    public PolicyLayer {
        Objects.requireNonNull(name, "name");
        skills = skills == null ? AllowDeny.OPEN : skills;
        tools = tools == null ? AllowDeny.OPEN : tools;
        ceiling = ceiling == null ? PermissionCeiling.OPEN : ceiling;
    }

    /** A layer that narrows nothing. */
    public static PolicyLayer open(String name) {
        return new PolicyLayer(name, AllowDeny.OPEN, AllowDeny.OPEN, PermissionCeiling.OPEN);
    }

    public static String agentName(String agentId) {
        return "agent:" + agentId;
    }

    public static String sessionName(String sessionKey) {
        return "session:" + sessionKey;
    }

    /**
     * Reads {@code {skills: [ids] | {allow, deny}, tools: {allow, deny}, permissions: {workspace, network:
     * "none" | {allow: [hosts]}, secrets: [names]}}}. Other top-level keys are ignored, so an
     * {@code agents.list[]} entry can be passed as it is; inside those three keys everything is checked and
     * anything unknown is refused (a misspelt {@code deny} must not silently allow). Null or missing: open.
     *
     * @throws IllegalArgumentException naming the layer and the JSON path of the first problem
     */
    public static PolicyLayer fromJson(String name, JsonNode node) {
        Objects.requireNonNull(name, "name");
        try {
            return PolicyJson.layer(name, node);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("policy " + PolicyNames.quote(name) + ": " + e.getMessage(), e);
        }
    }

    /** The layer as a reason names it: "agent 'researcher'", "session 'agent:main:main'", "global policy". */
    public String display() {
        int colon = name.indexOf(':');
        if (colon > 0) {
            return name.substring(0, colon).toLowerCase(Locale.ROOT) + " "
                    + PolicyNames.quote(name.substring(colon + 1));
        }
        return "global".equals(name) ? "global policy" : PolicyNames.quote(name);
    }
}
