package ai.clawbot.host.agents;

import java.util.Locale;

/** The built-in kinds of agent. */
public enum AgentType {
    /** A general assistant. */
    DEFAULT,
    /** Reads, writes and runs code in its workspace, inside the sandbox. */
    CODER,
    /** Gathers information: fetch and search tools behind an egress allowlist. */
    RESEARCHER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AgentType parse(String s) {
        for (AgentType t : values()) {
            if (t.id().equals(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown agent type '" + s + "' (default, coder, researcher)");
    }
}
