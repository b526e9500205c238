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
 * restriction an operator put on a session survives a restart. With a shared store the policies live there instead
 * ({@link #over(Storage)}), read on every use, so a restriction set through one gateway holds on all of them.
 */
public final class SessionPolicies {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the policies are kept, by session key. */
    public interface Storage {
        Optional<JsonNode> get(String sessionKey);

        /** Stores {@code policy} (already validated), or removes the key's policy when it is null. */
        void put(String sessionKey, JsonNode policy) throws IOException;
    }

    private final Storage storage;

    private SessionPolicies(Storage storage) {
        this.storage = storage;
    }

    public static SessionPolicies over(Storage storage) {
        return new SessionPolicies(storage);
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
        return new SessionPolicies(new FileStorage(file, loaded));
    }

    /** The session's layer, if one was set. */
    public Optional<PolicyLayer> layer(String sessionKey) {
        return storage.get(sessionKey).map(p -> PolicyLayer.fromJson(PolicyLayer.sessionName(sessionKey), p));
    }

    public Optional<JsonNode> raw(String sessionKey) {
        return storage.get(sessionKey).map(JsonNode::deepCopy);
    }

    /**
     * Sets (or, with null, clears) the session's policy; validated first, so a bad one changes nothing.
     *
     * @throws IllegalArgumentException when the policy cannot be read (the message says where)
     */
    public void set(String sessionKey, JsonNode policy) throws IOException {
        if (policy != null && !policy.isNull()) {
            PolicyLayer.fromJson(PolicyLayer.sessionName(sessionKey), policy);
        }
        storage.put(sessionKey, policy == null || policy.isNull() ? null : policy.deepCopy());
    }

    /** {@code <state>/policies/sessions.json}, in memory and written through atomically on every change. */
    private static final class FileStorage implements Storage {
        private final Path file;
        private ObjectNode bySession;

        FileStorage(Path file, ObjectNode bySession) {
            this.file = file;
            this.bySession = bySession;
        }

        @Override
        public synchronized Optional<JsonNode> get(String sessionKey) {
            return Optional.ofNullable(bySession.get(sessionKey));
        }

        @Override
        public synchronized void put(String sessionKey, JsonNode policy) throws IOException {
            ObjectNode next = bySession.deepCopy();
            if (policy == null) {
                next.remove(sessionKey);
            } else {
                next.set(sessionKey, policy);
            }
            Files.createDirectories(file.getParent());
            ConfigStore.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(next));
            bySession = next;
        }
    }
}
