package ai.clawbot.host.gateway;

/** A method refused a request; the error goes back to the client as-is. */
public final class GatewayException extends Exception {

    private final transient ErrorShape error;

    public GatewayException(ErrorShape error) {
        super(error.message());
        this.error = error;
    }

    public ErrorShape error() {
        return error;
    }
}
