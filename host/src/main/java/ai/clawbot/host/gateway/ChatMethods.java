package ai.clawbot.host.gateway;

import ai.clawbot.host.agents.AgentRegistry;
import ai.clawbot.host.agents.ChatException;
import ai.clawbot.host.agents.ChatRun;
import ai.clawbot.host.agents.ChatRuns;
import ai.clawbot.host.agents.SessionKeys;
import ai.clawbot.host.sessions.SessionEntry;
import ai.clawbot.host.sessions.SessionStore;
import ai.clawbot.host.sessions.TranscriptEntry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code chat.send} (acknowledged once the message is durable, then {@code chat}/{@code agent} events),
 * {@code chat.abort} and {@code chat.history}.
 */
public final class ChatMethods {

    private final ChatRuns runs;
    private final SessionStore store;
    private final Supplier<AgentRegistry> agents;

    public ChatMethods(ChatRuns runs, SessionStore store, Supplier<AgentRegistry> agents) {
        this.runs = runs;
        this.store = store;
        this.agents = agents;
    }

    public List<MethodSpec> methods() {
        return List.of(
                // chat.send de-duplicates itself (a repeat reports the first run's status), so it is not a
                // generic side-effect method; its idempotencyKey is required.
                new MethodSpec("chat.send", Scopes.WRITE, false, this::send),
                new MethodSpec("chat.abort", Scopes.WRITE, false, c -> abort(c.params())),
                MethodSpec.read("chat.history", this::history));
    }

    private Object send(MethodCall call) throws GatewayException {
        JsonNode p = call.params();
        String sessionKey = Params.requireText(p, "sessionKey", "chat.send");
        JsonNode message = p.get("message");
        if (message == null || !message.isTextual()) {
            throw Params.invalid("chat.send needs a string 'message'", "message");
        }
        String key = IdempotencyCache.keyOf(p);
        if (key == null) {
            throw Params.invalid("chat.send needs an idempotencyKey (a retry with the same key is not sent twice)",
                    "idempotencyKey");
        }
        ChatRuns.Sent sent;
        try {
            sent = runs.send(sessionKey, message.asText(), key);
        } catch (ChatException e) {
            throw error(e);
        }
        ChatRun run = sent.run();
        ObjectNode ack = Frames.JSON.createObjectNode();
        switch (sent) {
            case ChatRuns.Started started -> {
                call.afterReply(started.start());
                ack.put("runId", run.runId()).put("status", "started").put("sessionKey", run.sessionKey())
                        .put("messageId", run.userEntryId());
            }
            case ChatRuns.Repeated repeated -> {
                if (run == null) {
                    ack.put("status", "in_flight");
                } else {
                    String s = run.status();
                    ack.put("runId", run.runId()).put("sessionKey", run.sessionKey()).put("messageId", run.userEntryId())
                            .put("status", s.equals("queued") || s.equals("running") ? "in_flight" : s);
                }
            }
        }
        return ack;
    }

    private Object abort(JsonNode p) throws GatewayException {
        String sessionKey = Params.requireText(p, "sessionKey", "chat.abort");
        String runId = Params.optionalText(p, "runId", "chat.abort");
        try {
            List<String> stopped = runs.abort(sessionKey, runId);
            ObjectNode out = Frames.JSON.createObjectNode().put("ok", true).put("aborted", !stopped.isEmpty());
            stopped.forEach(out.putArray("runIds")::add);
            return out;
        } catch (ChatException e) {
            throw error(e);
        }
    }

    private Object history(JsonNode p) throws GatewayException {
        SessionKeys.Resolved key = resolve(p, "chat.history");
        int limit = Params.optionalInt(p, "limit", 200, 1, SessionStore.MAX_READ_LIMIT, "chat.history");
        Optional<SessionEntry> session = store.get(key.agentId(), key.sessionKey());
        ObjectNode out = Frames.JSON.createObjectNode().put("sessionKey", key.sessionKey());
        session.ifPresent(s -> out.put("sessionId", s.sessionId()));
        ArrayNode messages = out.putArray("messages");
        if (session.isPresent()) {
            for (TranscriptEntry e : store.read(key.agentId(), key.sessionKey(), limit)) {
                if ("message".equals(e.type())) {
                    ObjectNode m = e.payload();
                    m.put("id", e.id()).put("timestamp", e.timestamp().toEpochMilli());
                    messages.add(m);
                }
            }
        }
        return out;
    }

    SessionKeys.Resolved resolve(JsonNode p, String method) throws GatewayException {
        String raw = Params.requireTextOf(p, method, "sessionKey", "key");
        SessionKeys.Resolved key;
        try {
            key = SessionKeys.resolve(raw, agents.get().defaultAgent().id());
        } catch (IllegalArgumentException e) {
            throw Params.invalid(e.getMessage(), "sessionKey");
        }
        if (agents.get().find(key.agentId()).isEmpty()) {
            throw new GatewayException(ErrorShape.of("NOT_FOUND", "no agent '" + key.agentId() + "'",
                    GatewaySocket.details("UNKNOWN_AGENT")));
        }
        return key;
    }

    static GatewayException error(ChatException e) {
        String code = switch (e.kind()) {
            case INVALID -> "INVALID_REQUEST";
            case NOT_FOUND -> "NOT_FOUND";
            case UNAVAILABLE -> "UNAVAILABLE";
        };
        ErrorShape shape = ErrorShape.of(code, e.getMessage(), GatewaySocket.details(e.detailCode()));
        return new GatewayException(e.kind() == ChatException.Kind.UNAVAILABLE ? shape.retryable(1000) : shape);
    }
}
