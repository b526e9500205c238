package ai.clawbot.host.sandbox.egress;

/** A request the proxy answers itself, with this status and a one-line text body. */
final class ProxyError extends Exception {

    final int status;

    ProxyError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
