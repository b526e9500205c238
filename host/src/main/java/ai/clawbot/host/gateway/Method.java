package ai.clawbot.host.gateway;

import com.fasterxml.jackson.databind.JsonNode;

/** One RPC method of the gateway protocol. Returns the {@code res} payload or throws a typed error. */
@FunctionalInterface
public interface Method {

    Object handle(JsonNode params) throws GatewayException;
}
