package ai.clawbot.host.gateway;

import ai.clawbot.host.agents.AgentDefinition;
import ai.clawbot.host.agents.AgentRegistry;
import ai.clawbot.host.agents.ChatException;
import ai.clawbot.host.agents.ChatRuns;
import ai.clawbot.host.agents.SessionKeys;
import ai.clawbot.host.policy.SessionPolicies;
import ai.clawbot.host.sessions.SessionEntry;
import ai.clawbot.host.sessions.SessionStore;
import ai.clawbot.host.sessions.TranscriptEntry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/** {@code sessions.list|get|reset|delete}. Reset and delete stop the session's runs first. */
public final class SessionMethods {

    private final SessionStore store;
    private final ChatRuns runs;
    private final Supplier<AgentRegistry> agents;
    private final ChatMethods chat;
    private final EventHub hub;

    private final SessionPolicies policies;

    public SessionMethods(SessionStore store, ChatRuns runs, Supplier<AgentRegistry> agents, ChatMethods chat, EventHub hub,
                   SessionPolicies policies) {
        this.policies = policies;
        this.store = store;
        this.runs = runs;
        this.agents = agents;
        this.chat = chat;
        this.hub = hub;
    }

    public List<MethodSpec> methods() {
        return List.of(
                MethodSpec.read("sessions.list", this::list),
                MethodSpec.read("sessions.get", this::get),
                MethodSpec.write("sessions.reset", this::reset),
                MethodSpec.write("sessions.delete", this::delete),
                // Narrowing a session's policy is a security decision, like changing config.
                MethodSpec.admin("sessions.patch", this::patch));
    }

    private Object list(JsonNode p) throws GatewayException {
        String agentId = Params.optionalText(p, "agentId", "sessions.list");
        int limit = Params.optionalInt(p, "limit", 500, 1, 10_000, "sessions.list");
        List<SessionEntry> all = new ArrayList<>();
        for (AgentDefinition a : agents.get().all()) {
            if (agentId == null || agentId.equals(a.id())) {
                all.addAll(store.list(a.id()));
            }
        }
        all.sort(Comparator.comparing(SessionEntry::updatedAt).reversed());
        ObjectNode out = Frames.JSON.createObjectNode().put("count", all.size());
        ArrayNode sessions = out.putArray("sessions");
        all.stream().limit(limit).forEach(s -> sessions.add(json(s)));
        return out;
    }

    private Object get(JsonNode p) throws GatewayException {
        SessionKeys.Resolved key = chat.resolve(p, "sessions.get");
        int limit = Params.optionalInt(p, "limit", 200, 1, SessionStore.MAX_READ_LIMIT, "sessions.get");
        SessionEntry s = store.get(key.agentId(), key.sessionKey()).orElseThrow(() -> notFound(key));
        ObjectNode out = Frames.JSON.createObjectNode();
        out.set("session", json(s));
        ArrayNode entries = out.putArray("entries");
        for (TranscriptEntry e : store.read(key.agentId(), key.sessionKey(), limit)) {
            entries.add(e.toJson());
        }
        return out;
    }

    private Object reset(JsonNode p) throws GatewayException {
        SessionKeys.Resolved key = chat.resolve(p, "sessions.reset");
        stopRuns(key);
        SessionEntry fresh = store.reset(key.agentId(), key.sessionKey());
        hub.broadcast(Events.SESSIONS_CHANGED, Frames.JSON.createObjectNode().put("sessionKey", key.sessionKey())
                .put("reason", "reset"), Scopes.READ);
        ObjectNode out = Frames.JSON.createObjectNode().put("ok", true);
        out.set("session", json(fresh));
        return out;
    }

    private Object delete(JsonNode p) throws GatewayException {
        SessionKeys.Resolved key = chat.resolve(p, "sessions.delete");
        stopRuns(key);
        if (!store.delete(key.agentId(), key.sessionKey())) {
            throw notFound(key);
        }
        hub.broadcast(Events.SESSIONS_CHANGED, Frames.JSON.createObjectNode().put("sessionKey", key.sessionKey())
                .put("reason", "deleted"), Scopes.READ);
        return Frames.JSON.createObjectNode().put("ok", true).put("deleted", true).put("sessionKey", key.sessionKey());
    }

    /** {@code sessions.patch {sessionKey, policy}}: sets (or with null clears) the session's policy layer. */
    private Object patch(JsonNode p) throws GatewayException {
        SessionKeys.Resolved key = chat.resolve(p, "sessions.patch");
        if (!p.has("policy")) {
            throw Params.invalid("sessions.patch needs 'policy' (an object, or null to clear it)", "policy");
        }
        JsonNode policy = p.get("policy");
        if (!policy.isNull() && !policy.isObject()) {
            throw Params.invalid("sessions.patch 'policy' must be an object or null", "policy");
        }
        try {
            policies.set(key.sessionKey(), policy);
        } catch (IllegalArgumentException e) {
            throw Params.invalid("policy not changed: " + e.getMessage(), "policy");
        } catch (java.io.IOException e) {
            throw new GatewayException(ErrorShape.of("UNAVAILABLE", "policy not changed: " + e.getMessage(),
                    GatewaySocket.details("WRITE_FAILED")).retryable(1000));
        }
        ObjectNode out = Frames.JSON.createObjectNode().put("ok", true).put("sessionKey", key.sessionKey());
        out.set("policy", policies.raw(key.sessionKey()).orElse(Frames.JSON.nullNode()));
        return out;
    }

    private void stopRuns(SessionKeys.Resolved key) throws GatewayException {
        try {
            runs.abortAndWait(key.sessionKey(), Duration.ofSeconds(5));
        } catch (ChatException e) {
            throw ChatMethods.error(e);
        }
    }

    private static GatewayException notFound(SessionKeys.Resolved key) {
        return new GatewayException(ErrorShape.of("NOT_FOUND", "no session '" + key.sessionKey() + "'",
                GatewaySocket.details("UNKNOWN_SESSION").put("sessionKey", key.sessionKey())));
    }

    static ObjectNode json(SessionEntry s) {
        return Frames.JSON.createObjectNode().put("key", s.sessionKey()).put("agentId", s.agentId())
                .put("sessionId", s.sessionId()).put("createdAt", s.createdAt().toEpochMilli())
                .put("updatedAt", s.updatedAt().toEpochMilli()).put("missingTranscript", s.missingTranscript());
    }
}
