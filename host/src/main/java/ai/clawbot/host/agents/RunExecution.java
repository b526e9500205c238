package ai.clawbot.host.agents;

import ai.clawbot.host.agents.AgentEngine.Reply;
import ai.clawbot.host.sessions.Appended;
import ai.clawbot.host.sessions.SessionStore;
import ai.clawbot.host.sessions.StaleLaneException;
import ai.clawbot.host.sessions.TranscriptEntry;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Executes one run: lifecycle start, the engine's streamed deltas as {@code agent} and {@code chat} events,
 * then the reply stored in the transcript and a {@code chat} final (or aborted, or error) event. The final
 * event is sent only after the reply is durable, so a client that saw it will find it in history.
 */
final class RunExecution {

    private static final System.Logger LOG = System.getLogger(RunExecution.class.getName());

    private final ChatRun run;
    private final SessionStore store;
    private final AgentEngine engine;
    private final RunEvents events;
    private final int historyLimit;
    private long seq;
    private final StringBuilder text = new StringBuilder();
    /** Set when a write was refused because another gateway took the session's lane: the run stops, interrupted. */
    private volatile StaleLaneException fenced;

    /** Records how the run ended (the idempotency ledger) before its last event goes out. */
    private final java.util.function.Consumer<String> recordEnd;

    RunExecution(ChatRun run, SessionStore store, AgentEngine engine, RunEvents events, int historyLimit) {
        this(run, store, engine, events, historyLimit, status -> { });
    }

    /**
     * @param recordEnd told the run's end status before the terminal event is published, so a client that saw the
     *                  event and retries its idempotency key finds the run ended, on any gateway
     */
    RunExecution(ChatRun run, SessionStore store, AgentEngine engine, RunEvents events, int historyLimit,
                 java.util.function.Consumer<String> recordEnd) {
        this.recordEnd = recordEnd;
        this.run = run;
        this.store = store;
        this.engine = engine;
        this.events = events;
        this.historyLimit = historyLimit;
    }

    void execute() {
        run.status = "running";
        lifecycle("start", null);
        Reply reply;
        try {
            if (run.aborted) {
                reply = new Reply("", "aborted");
            } else {
                List<TranscriptEntry> history = store.read(run.agent.id(), run.sessionKey, historyLimit).stream()
                        .filter(e -> !e.id().equals(run.userEntryId)).toList();
                reply = engine.run(new AgentEngine.Turn(run.agent, run.sessionKey, run.runId, history, run.message),
                        new AgentEngine.RunStream() {
                            @Override
                            public void assistantDelta(String delta) {
                                delta(delta);
                            }

                            @Override
                            public boolean aborted() {
                                return run.aborted || fenced != null;
                            }

                            @Override
                            public void toolEvent(ObjectNode data) {
                                events.publish("agent", agentEvent("tool", data));
                            }

                            @Override
                            public void record(TranscriptEntry entry) {
                                append(entry);
                            }
                        });
                if (run.aborted && !"aborted".equals(reply.stopReason())) {
                    reply = new Reply(reply.text(), "aborted");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply = new Reply(text.toString(), "aborted");
        } catch (RuntimeException e) {
            if (fenced != null) {
                interrupted();
                return;
            }
            LOG.log(System.Logger.Level.ERROR, "run " + run.runId + " failed", e);
            fail("the agent failed: " + e.getMessage());
            return;
        }
        if (fenced != null) { // the engine swallowed the refusal: still nothing more is written
            interrupted();
            return;
        }
        finish(reply);
    }

    /** Appends through the run's (fenced) store; a refusal for a lost lane stops the run. */
    private Appended append(TranscriptEntry entry) {
        try {
            return store.append(run.agent.id(), run.sessionKey, entry);
        } catch (StaleLaneException e) {
            fenced = e;
            throw e;
        }
    }

    private void delta(String delta) {
        if (delta == null || delta.isEmpty()) {
            return;
        }
        text.append(delta);
        for (var l : run.deltaListeners) {
            try {
                l.accept(delta);
            } catch (RuntimeException e) {
                // A listener (an HTTP stream whose client left) must not break the run.
                run.aborted = true;
            }
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("delta", delta).put("text", text.toString());
        events.publish("agent", agentEvent("assistant", data));
        ObjectNode chat = chatEvent("delta").put("deltaText", delta);
        chat.set("message", assistantMessage(text.toString(), null));
        events.publish("chat", chat);
    }

    private void finish(Reply reply) {
        boolean aborted = "aborted".equals(reply.stopReason());
        String finalText = reply.text() == null ? text.toString() : reply.text();
        Appended stored = null;
        if (!aborted || !finalText.isEmpty()) {
            ObjectNode payload = JsonNodeFactory.instance.objectNode().put("role", "assistant");
            payload.putArray("content").addObject().put("type", "text").put("text", finalText);
            payload.put("runId", run.runId).put("stopReason", reply.stopReason());
            try {
                stored = append(TranscriptEntry.of("message", payload));
            } catch (StaleLaneException e) {
                interrupted();
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "could not store the reply of run " + run.runId, e);
                fail("the reply could not be stored: " + e.getMessage());
                return;
            }
        }
        ObjectNode chat = chatEvent(aborted ? "aborted" : "final").put("stopReason", reply.stopReason());
        chat.set("message", assistantMessage(finalText, stored == null ? null : stored.entry()));
        run.status = aborted ? "aborted" : "ok"; // state first, then the announcement: a retry after it sees the end
        recordEnd.accept(run.status);
        events.publish("chat", chat);
        lifecycle("end", aborted ? "aborted" : null);
        run.done.complete(new ChatRun.Result(run.runId, run.status, finalText, reply.stopReason(), null));
    }

    /** Another gateway took the session's lane (this one lost its lane connection): reported as after a crash. */
    private void interrupted() {
        LOG.log(System.Logger.Level.WARNING, "run " + run.runId + " interrupted: " + fenced.getMessage());
        String message = "the run was interrupted: " + fenced.getMessage();
        ObjectNode chat = chatEvent("error").put("errorMessage", message).put("errorKind", ChatRun.INTERRUPTED);
        run.status = ChatRun.INTERRUPTED;
        recordEnd.accept(run.status);
        events.publish("chat", chat);
        lifecycle("error", message);
        run.done.complete(new ChatRun.Result(run.runId, ChatRun.INTERRUPTED, text.toString(), ChatRun.INTERRUPTED, message));
    }

    private void fail(String message) {
        ObjectNode chat = chatEvent("error").put("errorMessage", message).put("errorKind", "agent");
        run.status = "error";
        recordEnd.accept(run.status);
        events.publish("chat", chat);
        lifecycle("error", message);
        run.done.complete(new ChatRun.Result(run.runId, "error", text.toString(), "error", message));
    }

    private ObjectNode assistantMessage(String body, TranscriptEntry stored) {
        ObjectNode m = JsonNodeFactory.instance.objectNode().put("role", "assistant");
        m.putArray("content").addObject().put("type", "text").put("text", body);
        if (stored != null) {
            m.put("id", stored.id()).put("timestamp", stored.timestamp().toEpochMilli());
        }
        return m;
    }

    private void lifecycle(String phase, String detail) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("phase", phase);
        if (detail != null) {
            data.put(phase.equals("error") ? "error" : "reason", detail);
        }
        events.publish("agent", agentEvent("lifecycle", data));
    }

    private ObjectNode agentEvent(String stream, ObjectNode data) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("runId", run.runId).put("seq", ++seq)
                .put("stream", stream).put("ts", System.currentTimeMillis())
                .put("agentId", run.agent.id()).put("sessionKey", run.sessionKey);
        o.set("data", data);
        return o;
    }

    private ObjectNode chatEvent(String state) {
        return JsonNodeFactory.instance.objectNode().put("runId", run.runId).put("sessionKey", run.sessionKey)
                .put("seq", ++seq).put("state", state);
    }
}
