package ai.clawbot.host.store;

import ai.clawbot.host.policy.SessionPolicies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Session policies in {@code session_policies}, read on every use. A read that fails throws: the gate then refuses
 * the call rather than run it without the session's restrictions.
 */
final class PostgresSessionPolicies implements SessionPolicies.Storage {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PostgresDatabase db;

    PostgresSessionPolicies(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<JsonNode> get(String sessionKey) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT policy FROM session_policies WHERE session_key = ?")) {
            ps.setString(1, sessionKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(JSON.readTree(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot read the policy of session '" + sessionKey + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void put(String sessionKey, JsonNode policy) throws IOException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(policy == null ? "DELETE FROM session_policies WHERE session_key = ?"
                     : "INSERT INTO session_policies (session_key, policy) VALUES (?, ?)"
                     + " ON CONFLICT (session_key) DO UPDATE SET policy = EXCLUDED.policy")) {
            ps.setString(1, sessionKey);
            if (policy != null) {
                ps.setString(2, JSON.writeValueAsString(policy));
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("cannot store the policy of session '" + sessionKey + "': " + e.getMessage(), e);
        }
    }
}
