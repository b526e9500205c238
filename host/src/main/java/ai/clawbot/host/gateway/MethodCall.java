package ai.clawbot.host.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One request as a method sees it: its id, name and params, and the connection that sent it. A method that
 * starts work whose events must follow its reply (chat.send's run) registers it with {@link #afterReply}.
 */
public record MethodCall(String requestId, String method, JsonNode params, Client client, List<Runnable> deferred) {

    public MethodCall(String requestId, String method, JsonNode params, Client client) {
        this(requestId, method, params, client, new ArrayList<>());
    }

    /** Runs {@code task} once the reply to this request is queued on the socket. */
    public void afterReply(Runnable task) {
        synchronized (deferred) {
            deferred.add(task);
        }
    }

    void replied() {
        List<Runnable> tasks;
        synchronized (deferred) {
            tasks = List.copyOf(deferred);
            deferred.clear();
        }
        tasks.forEach(Runnable::run);
    }
}
