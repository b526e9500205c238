package ai.clawbot.host.agents;

/**
 * OpenClaw session keys: {@code agent:<agentId>:<rest>} names the agent; a bare key ({@code main}) belongs to the
 * default agent and is canonicalised to {@code agent:<default>:main}, so both spellings reach one session.
 */
public final class SessionKeys {

    private SessionKeys() {
    }

    /** An agent id and the canonical key of a session. */
    public record Resolved(String agentId, String sessionKey) {
    }

    public static Resolved resolve(String key, String defaultAgentId) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("sessionKey is empty");
        }
        if (key.startsWith("agent:")) {
            int end = key.indexOf(':', 6);
            if (end < 0 || end == 6 || end == key.length() - 1) {
                throw new IllegalArgumentException("sessionKey '" + shown(key) + "' must look like agent:<agentId>:<name>");
            }
            return new Resolved(key.substring(6, end), key);
        }
        return new Resolved(defaultAgentId, "agent:" + defaultAgentId + ":" + key);
    }

    public static String main(String agentId) {
        return "agent:" + agentId + ":main";
    }

    private static String shown(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
