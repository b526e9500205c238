package ai.clawbot.host.agents;

import ai.clawbot.host.sessions.TranscriptEntry;
import java.util.List;

/**
 * Produces an agent's reply to one user message. The engine streams text through {@link RunStream} and returns
 * the whole reply; it must return promptly (with what it has) once {@link RunStream#aborted()} is true.
 */
@FunctionalInterface
public interface AgentEngine {

    Reply run(Turn turn, RunStream out) throws InterruptedException;

    /** One turn: the agent, its session, the history before the message, and the message. */
    record Turn(AgentDefinition agent, String sessionKey, String runId, List<TranscriptEntry> history, String message) {
    }

    /** The reply; {@code stopReason} is {@code stop}, {@code aborted}, {@code max_iterations}, ... */
    record Reply(String text, String stopReason) {
    }

    /** Where an engine streams to. */
    interface RunStream {
        void assistantDelta(String text);

        boolean aborted();

        /** A tool event for clients ({@code agent} event, stream {@code tool}): phase start/end with details. */
        default void toolEvent(com.fasterxml.jackson.databind.node.ObjectNode data) {
        }

        /** Appends an intermediate entry (tool call, tool result, compaction) to the session transcript, durably. */
        default void record(TranscriptEntry entry) {
        }
    }
}
