package ai.clawbot.host.policy;

import ai.clawbot.host.config.ConfigStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The session layer of the policy chain: per session key, a policy that can only narrow what the global and
 * agent layers allow. Kept in {@code <state>/policies/sessions.json} (written atomically, owner-only), so a
 * restriction an operator put on a session survives a restart.
 */
public final class SessionPolicies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private ObjectNode bySession;

    private SessionPolicies(Path file, ObjectNode bySession) {
        this.file = file;
        this.bySession = bySession;
    }

    public static SessionPolicies open(Path stateRoot) {
        Path file = stateRoot.resolve("policies").resolve("sessions.json");
        ObjectNode loaded = JSON.createObjectNode();
        if (Files.exists(file)) {
            try {
                JsonNode n = JSON.readTree(file.toFile());
                if (n != null && n.isObject()) {
                    loaded = (ObjectNode) n;
                }
            } catch (IOException e) {
                // A damaged file must not widen anything: refuse to start rather than forget restrictions.
                throw new UncheckedIOException("session policies " + file + " are unreadable: " + e.getMessage(), e);
            }
        }
        return new SessionPolicies(file, loaded);
    }

    /** The session's layer, if one was set. */
    public synchronized Optional<PolicyLayer> layer(String sessionKey) {
        JsonNode p = bySession.get(sessionKey);
        return p == null ? Optional.empty() : Optional.of(PolicyLayer.fromJson(PolicyLayer.sessionName(sessionKey), p));
    }

    public synchronized Optional<JsonNode> raw(String sessionKey) {
        return Optional.ofNullable(bySession.get(sessionKey)).map(JsonNode::deepCopy);
    }

    /**
     * Sets (or, with null, clears) the session's policy; validated first, so a bad one changes nothing.
     *
     * @throws IllegalArgumentException when the policy cannot be read (the message says where)
     */
    public synchronized void set(String sessionKey, JsonNode policy) throws IOException {
        if (policy != null && !policy.isNull()) {
            PolicyLayer.fromJson(PolicyLayer.sessionName(sessionKey), policy);
        }
        ObjectNode next = bySession.deepCopy();
        if (policy == null || policy.isNull()) {
            next.remove(sessionKey);
        } else {
            next.set(sessionKey, policy.deepCopy());
        }
        Files.createDirectories(file.getParent());
        ConfigStore.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(next));
        bySession = next;
    }
}
