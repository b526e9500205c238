package ai.clawbot.host.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where runs publish their {@code chat} and {@code agent} events (the gateway broadcasts them). */
@FunctionalInterface
public interface RunEvents {

    RunEvents NONE = (event, payload) -> { };

    void publish(String event, ObjectNode payload);
}
