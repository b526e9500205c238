package ai.clawbot.host.gateway;

import java.util.Set;

/** An authenticated connection, as methods and broadcasts see it. */
public interface Client {

    String connId();

    Set<String> scopes();

    /** Sends an event with this connection's next {@code seq}; a closed connection drops it. */
    void emit(String event, Object payload);

    boolean isOpen();

    default boolean has(String scope) {
        return scopes().contains(scope);
    }
}
