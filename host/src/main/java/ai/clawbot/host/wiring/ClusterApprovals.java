package ai.clawbot.host.wiring;

import ai.clawbot.host.agents.RunEvents;
import ai.clawbot.host.gateway.ApprovalMethods;
import ai.clawbot.host.policy.ApprovalDecision;
import ai.clawbot.host.policy.ApprovalListener;
import ai.clawbot.host.policy.ApprovalQueue;
import ai.clawbot.host.policy.ApprovalRequest;
import ai.clawbot.host.policy.Resolution;
import ai.clawbot.host.policy.Resolved;
import ai.clawbot.host.store.PostgresDatabase;
import ai.clawbot.plugin.manifest.Effect;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

/**
 * Approvals across gateways on one database. A gateway records each request it raises in {@code approvals} and
 * tells the others ({@code approval.requested} reaches their clients). Any gateway may decide: the first decision
 * is written with {@code UPDATE ... WHERE decision IS NULL} (so two operators on two gateways cannot both win) and
 * sent as {@value #DECIDE} through the event fan-out to the gateway whose tool call waits, which applies it; its
 * {@code approval.resolved} then reaches every gateway's clients.
 */
final class ClusterApprovals implements ApprovalListener, ApprovalQueue.Elsewhere {

    /** The fan-out event carrying a decision to the gateway that holds the request. */
    static final String DECIDE = "approval.decide";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(ClusterApprovals.class.getName());

    private final PostgresDatabase db;
    private final RunEvents others;

    ClusterApprovals(PostgresDatabase db, RunEvents others) {
        this.db = db;
        this.others = others;
    }

    /** On the gateway holding the request: a decision made elsewhere. */
    static void apply(ApprovalQueue queue, JsonNode decide) {
        queue.resolve(decide.path("id").asText(), decide.path("decision").asText(), decide.path("by").asText());
    }

    @Override
    public void requested(ApprovalRequest request) {
        ObjectNode json = ApprovalMethods.json(request);
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO approvals (id, request, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
            ps.setString(1, request.id());
            ps.setString(2, json.toString());
            ps.setLong(3, System.currentTimeMillis());
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "approval " + request.id() + " is decidable on this gateway only: " + e.getMessage());
        }
        others.publish(REQUESTED, json);
    }

    @Override
    public void resolved(Resolved resolved) {
        record(resolved.request().id(), wire(resolved.decision()), by(resolved.decision()));
        others.publish(RESOLVED, ApprovalMethods.json(resolved));
    }

    @Override
    public Resolution resolve(String id, ApprovalDecision decision) {
        try (Connection c = db.dataSource().getConnection()) {
            String decided = wire(decision);
            try (PreparedStatement ps = c.prepareStatement("UPDATE approvals SET decision = ?, decided_by = ?, resolved_at = ?"
                    + " WHERE id = ? AND decision IS NULL RETURNING request")) {
                ps.setString(1, decided);
                ps.setString(2, by(decision));
                ps.setLong(3, System.currentTimeMillis());
                ps.setString(4, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        others.publish(DECIDE, JSON.createObjectNode().put("id", id).put("decision", decided)
                                .put("by", by(decision)));
                        return new Resolution.Ok(new Resolved(request(rs.getString(1)), decision, Instant.now()));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT request, decision, decided_by, resolved_at FROM approvals WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new Resolution.UnknownId(id);
                    }
                    ApprovalDecision earlier = "approve".equals(rs.getString(2)) ? new ApprovalDecision.Approved(rs.getString(3))
                            : new ApprovalDecision.Denied(rs.getString(3), rs.getString(2));
                    return new Resolution.AlreadyResolved(new Resolved(request(rs.getString(1)), earlier,
                            Instant.ofEpochMilli(rs.getLong(4))));
                }
            }
        } catch (SQLException | IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot decide approval " + id + " through the database: " + e.getMessage());
            return new Resolution.UnknownId(id);
        }
    }

    /** Undecided and unexpired (a request whose gateway died stays undecided; its expiry hides it). */
    @Override
    public java.util.List<ApprovalRequest> pending() {
        java.util.List<ApprovalRequest> out = new java.util.ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT request FROM approvals WHERE decision IS NULL ORDER BY created_at LIMIT 1000");
             ResultSet rs = ps.executeQuery()) {
            Instant now = Instant.now();
            while (rs.next()) {
                ApprovalRequest r = request(rs.getString(1));
                if (r.expiresAt() == null || r.expiresAt().isAfter(now)) {
                    out.add(r);
                }
            }
        } catch (SQLException | IOException e) {
            LOG.log(System.Logger.Level.WARNING, "other gateways' approvals are not listed: " + e.getMessage());
        }
        return out;
    }

    private void record(String id, String decision, String by) {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE approvals SET decision = ?, decided_by = ?, resolved_at = ? WHERE id = ? AND decision IS NULL")) {
            ps.setString(1, decision);
            ps.setString(2, by);
            ps.setLong(3, System.currentTimeMillis());
            ps.setString(4, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "approval " + id + " outcome not recorded: " + e.getMessage());
        }
    }

    /** approve / deny as {@code approvals.resolve} takes them; other outcomes (timeout, system) by their wire name. */
    private static String wire(ApprovalDecision d) {
        return switch (d) {
            case ApprovalDecision.Approved a -> "approve";
            case ApprovalDecision.Denied x when !ApprovalDecision.Denied.SYSTEM.equals(x.by()) -> "deny";
            default -> d.wire();
        };
    }

    private static String by(ApprovalDecision d) {
        return switch (d) {
            case ApprovalDecision.Approved a -> a.by();
            case ApprovalDecision.Denied x -> x.by();
            default -> "system";
        };
    }

    private static ApprovalRequest request(String json) throws IOException {
        JsonNode r = JSON.readTree(json);
        return new ApprovalRequest(r.path("id").asText(), r.path("agentId").asText(null), r.path("sessionKey").asText(null),
                r.path("skill").asText(), r.path("tool").asText(), r.path("args"),
                Effect.valueOf(r.path("effect").asText().toUpperCase(Locale.ROOT)), r.path("permissions").asText(""),
                r.has("createdAt") ? Instant.ofEpochMilli(r.path("createdAt").asLong()) : null,
                r.has("expiresAt") ? Instant.ofEpochMilli(r.path("expiresAt").asLong()) : null, r.get("preview"));
    }
}
