package ai.clawbot.host.gateway;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authenticated connections, for broadcasts. An event goes only to connections holding the scope it
 * needs (chat and agent events need {@code operator.read}; {@code tick} and {@code shutdown} go to everyone).
 */
public final class EventHub {

    private final Set<Client> clients = ConcurrentHashMap.newKeySet();

    void join(Client c) {
        clients.add(c);
    }

    void leave(Client c) {
        clients.remove(c);
    }

    public int size() {
        return clients.size();
    }

    /** Sends {@code event} to every open connection holding {@code scope} (null: to all). */
    public void broadcast(String event, Object payload, String scope) {
        for (Client c : clients) {
            if (c.isOpen() && (scope == null || c.has(scope))) {
                c.emit(event, payload);
            }
        }
    }
}
