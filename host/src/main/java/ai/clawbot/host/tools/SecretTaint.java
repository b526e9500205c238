package ai.clawbot.host.tools;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions that have been shown a secret (a {@code secret}-effect tool answered in them). From then on, in that
 * session, every call that can send data out (an {@code external} effect, or any network at all, e.g. a
 * {@code read}-effect {@code web.fetch}) waits for its own operator approval, whatever {@code autoApprove} says: a
 * revealed value must not leave through another tool unseen. Kept in memory for the gateway's life.
 */
final class SecretTaint {

    private final Set<String> sessions = ConcurrentHashMap.newKeySet();

    void mark(String agentId, String sessionKey) {
        sessions.add(key(agentId, sessionKey));
    }

    boolean has(String agentId, String sessionKey) {
        return sessions.contains(key(agentId, sessionKey));
    }

    private static String key(String agentId, String sessionKey) {
        return agentId + "\u0000" + (sessionKey == null ? "" : sessionKey);
    }
}
