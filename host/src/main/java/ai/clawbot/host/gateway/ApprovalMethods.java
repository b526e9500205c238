package ai.clawbot.host.gateway;

import ai.clawbot.host.policy.ApprovalDecision;
import ai.clawbot.host.policy.ApprovalListener;
import ai.clawbot.host.policy.ApprovalQueue;
import ai.clawbot.host.policy.ApprovalRequest;
import ai.clawbot.host.policy.Resolution;
import ai.clawbot.host.policy.Resolved;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code approvals.list} and {@code approvals.resolve {id, decision: approve|deny}}; the queue's events go out as
 * {@code approval.requested} / {@code approval.resolved} to every reader.
 */
public final class ApprovalMethods implements ApprovalListener {

    private final ApprovalQueue queue;
    private final EventHub hub;

    public ApprovalMethods(ApprovalQueue queue, EventHub hub) {
        this.queue = queue;
        this.hub = hub;
        queue.addListener(this);
    }

    public List<MethodSpec> methods() {
        return List.of(
                MethodSpec.read("approvals.list", this::list),
                new MethodSpec("approvals.resolve", Scopes.APPROVALS, true, this::resolve));
    }

    private Object list(JsonNode p) throws GatewayException {
        int limit = Params.optionalInt(p, "limit", 50, 1, ApprovalQueue.DEFAULT_HISTORY, "approvals.list");
        ObjectNode out = Frames.JSON.createObjectNode();
        ArrayNode pending = out.putArray("pending");
        queue.pendingEverywhere().forEach(r -> pending.add(json(r)));
        ArrayNode recent = out.putArray("recent");
        queue.recent(limit).forEach(r -> recent.add(json(r)));
        return out;
    }

    private Object resolve(MethodCall call) throws GatewayException {
        JsonNode p = call.params();
        String id = Params.requireText(p, "id", "approvals.resolve");
        String decision = Params.requireText(p, "decision", "approvals.resolve");
        return switch (queue.resolve(id, decision, "operator:" + call.client().connId())) {
            case Resolution.Ok ok -> json(ok.resolved()).put("ok", true);
            case Resolution.UnknownId u -> throw new GatewayException(ErrorShape.of("NOT_FOUND",
                    "no pending approval '" + cut(id) + "'", GatewaySocket.details("UNKNOWN_APPROVAL")));
            case Resolution.AlreadyResolved a -> throw new GatewayException(ErrorShape.of("INVALID_REQUEST",
                    "approval '" + cut(id) + "' was already resolved: " + a.resolved().decision().wire(),
                    GatewaySocket.details("ALREADY_RESOLVED")));
            case Resolution.InvalidDecision bad -> throw Params.invalid("decision must be 'approve' or 'deny'", "decision");
        };
    }

    @Override
    public void requested(ApprovalRequest request) {
        hub.broadcast(ApprovalListener.REQUESTED, json(request), Scopes.READ);
    }

    @Override
    public void resolved(Resolved resolved) {
        hub.broadcast(ApprovalListener.RESOLVED, json(resolved), Scopes.READ);
    }

    public static ObjectNode json(ApprovalRequest r) {
        ObjectNode o = Frames.JSON.createObjectNode().put("id", r.id()).put("agentId", r.agentId())
                .put("sessionKey", r.sessionKey()).put("skill", r.skill()).put("tool", r.tool())
                .put("effect", r.effect().name().toLowerCase(java.util.Locale.ROOT)).put("permissions", r.permissions());
        o.set("args", r.args());
        if (r.preview() != null) {
            o.set("preview", r.preview());
        }
        if (r.createdAt() != null) {
            o.put("createdAt", r.createdAt().toEpochMilli());
        }
        if (r.expiresAt() != null) {
            o.put("expiresAt", r.expiresAt().toEpochMilli());
        }
        return o;
    }

    public static ObjectNode json(Resolved r) {
        ObjectNode o = Frames.JSON.createObjectNode();
        o.set("request", json(r.request()));
        ApprovalDecision d = r.decision();
        o.put("decision", d.wire()).put("description", d.describe()).put("resolvedAt", r.resolvedAt().toEpochMilli());
        return o;
    }

    private static String cut(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
