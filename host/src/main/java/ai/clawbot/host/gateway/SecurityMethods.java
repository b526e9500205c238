package ai.clawbot.host.gateway;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.security.AuditContext;
import ai.clawbot.host.security.SecurityAudit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code security.audit {deep?}}: the same report as {@code claw security audit --json}, for admins. */
public final class SecurityMethods {

    private final StateDir state;
    private final Map<String, String> env;

    public SecurityMethods(StateDir state, Map<String, String> env) {
        this.state = state;
        this.env = Map.copyOf(env);
    }

    public List<MethodSpec> methods() {
        // Admin only: the report names files, keys and agents' tool sets. It changes nothing, so it is not idempotent-cached.
        return List.of(new MethodSpec("security.audit", Scopes.ADMIN, false, c -> audit(c.params())));
    }

    private ObjectNode audit(JsonNode p) throws GatewayException {
        JsonNode deep = p.get("deep");
        if (deep != null && !deep.isNull() && !deep.isBoolean()) {
            throw Params.invalid("security.audit 'deep' must be a boolean", "deep");
        }
        try (AuditContext context = AuditContext.load(state, env, deep != null && deep.asBoolean())) {
            return SecurityAudit.create().run(context).toJson();
        } catch (IOException e) {
            throw new GatewayException(ErrorShape.of("UNAVAILABLE", "the audit could not read the state folder: " + e.getMessage()));
        }
    }
}
