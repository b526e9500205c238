package ai.clawbot.host.agents;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** One run of an agent on one user message: queued, then running, then ended. */
public final class ChatRun {

    /** How a run ended. */
    public record Result(String runId, String status, String text, String stopReason, String error) {
    }

    /** The status of a run that could not finish: its gateway died, or lost the session's lane to another one. */
    public static final String INTERRUPTED = "interrupted";

    final String runId;
    final AgentDefinition agent;
    final String sessionKey;
    final String message;
    final String userEntryId;
    volatile boolean aborted;
    volatile String status = "queued";
    final CompletableFuture<Result> done = new CompletableFuture<>();
    final List<Consumer<String>> deltaListeners = new CopyOnWriteArrayList<>();

    ChatRun(String runId, AgentDefinition agent, String sessionKey, String message, String userEntryId) {
        this.runId = runId;
        this.agent = agent;
        this.sessionKey = sessionKey;
        this.message = message;
        this.userEntryId = userEntryId;
    }

    public String runId() {
        return runId;
    }

    public String agentId() {
        return agent.id();
    }

    public String sessionKey() {
        return sessionKey;
    }

    public String userEntryId() {
        return userEntryId;
    }

    public String status() {
        return status;
    }

    /** Receives each assistant text delta of this run (register before the run starts). */
    public void onDelta(Consumer<String> listener) {
        deltaListeners.add(listener);
    }

    /** Asks the run to stop; it ends with what it has. */
    public void abort() {
        aborted = true;
    }

    public CompletableFuture<Result> completion() {
        return done;
    }
}
