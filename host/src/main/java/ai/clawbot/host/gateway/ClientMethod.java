package ai.clawbot.host.gateway;

/** A method that needs the calling connection (to stream events to it, or to know its scopes). */
@FunctionalInterface
public interface ClientMethod {

    Object handle(MethodCall call) throws GatewayException;
}
