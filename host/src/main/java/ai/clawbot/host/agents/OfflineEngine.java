package ai.clawbot.host.agents;

/**
 * The model used when no provider is configured: it says so plainly and tells the operator how to fix it,
 * so a fresh install answers instead of failing. (Slash commands that run tools arrive with the agent loop.)
 */
public final class OfflineEngine implements AgentEngine {

    static final String NOTICE = "No model provider is configured, so I can only answer with this notice. "
            + "Add one under models.providers in openclaw.json (OpenAI, Anthropic or any OpenAI-compatible server "
            + "such as Ollama) and I will answer properly.";

    @Override
    public Reply run(Turn turn, RunStream out) {
        StringBuilder text = new StringBuilder();
        String reply = NOTICE + " You said: \"" + abbreviate(turn.message()) + "\"";
        // Streamed word by word, as a real model would, so clients exercise the same path.
        for (String piece : reply.split("(?<= )")) {
            if (out.aborted()) {
                return new Reply(text.toString(), "aborted");
            }
            text.append(piece);
            out.assistantDelta(piece);
        }
        return new Reply(text.toString(), "stop");
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
