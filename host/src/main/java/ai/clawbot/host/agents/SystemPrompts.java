package ai.clawbot.host.agents;

/** The system prompt of an agent: its own, else the one of its type. */
final class SystemPrompts {

    private SystemPrompts() {
    }

    static String of(AgentDefinition agent) {
        if (agent.systemPrompt() != null && !agent.systemPrompt().isBlank()) {
            return agent.systemPrompt();
        }
        return switch (agent.type()) {
            case DEFAULT -> "You are " + agent.name() + ", a helpful assistant running in the user's Clawbot gateway. "
                    + "Use the tools you are offered when they help; each runs in a sandbox. Be concise.";
            case CODER -> "You are " + agent.name() + ", a coding agent. You read, write and edit files in your workspace "
                    + "and run commands through the tools you are offered, all inside a sandbox. Explain what you changed.";
            case RESEARCHER -> "You are " + agent.name() + ", a research agent. Gather information with the fetch and "
                    + "search tools you are offered (network access is limited to an allowlist), and cite what you found.";
        };
    }
}
