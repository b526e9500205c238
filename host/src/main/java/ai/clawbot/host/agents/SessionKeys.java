package ai.clawbot.host.agents;

/**
 * OpenClaw session keys: {@code agent:<agentId>:<rest>} names the agent; a bare key ({@code main}) belongs to the
 * default agent and is canonicalised to {@code agent:<default>:main}, so both spellings reach one session.
 */
public final class SessionKeys {

    /** Longer keys are refused: a key is a name, and it travels in every event of its session. */
    public static final int MAX_LENGTH = 200;

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

    /**
     * The canonical key of session {@code key} for a door that serves one agent per request (the MCP door, the
     * OpenAI-compatible endpoint): a bare name is {@code agentId}'s; a full key must name {@code agentId}, so a request
     * for one agent never reads or writes another agent's session.
     *
     * @throws IllegalArgumentException when the key is malformed, too long or names another agent
     */
    public static String ofAgent(String key, String agentId) {
        Resolved r = resolve(key, agentId);
        if (!r.agentId().equals(agentId)) {
            throw new IllegalArgumentException("session key '" + shown(key) + "' belongs to agent '" + shown(r.agentId())
                    + "', not to '" + agentId + "'");
        }
        if (r.sessionKey().length() > MAX_LENGTH) {
            throw new IllegalArgumentException("session key '" + shown(key) + "' is over " + MAX_LENGTH + " characters");
        }
        return r.sessionKey();
    }

    public static String main(String agentId) {
        return "agent:" + agentId + ":main";
    }

    private static String shown(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
