package ai.clawbot.host.gateway.auth;

/** What {@link OriginPolicy#check} decided about a WebSocket upgrade's {@code Origin} header. */
public sealed interface OriginCheck permits OriginCheck.Allowed, OriginCheck.Refused {

    /** Why an origin passed, for logs and metrics. */
    enum Basis {
        /** No Origin header: not a browser (browsers always send one on a WebSocket upgrade). */
        NO_ORIGIN,
        /** A page served from this machine (localhost, 127.0.0.0/8, ::1). */
        LOOPBACK,
        /** The page came from the address the client dialed (an IP literal): the gateway's own UI. */
        SAME_ORIGIN,
        /** Listed in {@code gateway.controlUi.allowedOrigins}. */
        CONFIGURED
    }

    record Allowed(Basis basis) implements OriginCheck {
    }

    /**
     * @param origin the Origin header as received, cut to 120 characters with control characters replaced, safe
     *               to log
     * @param reason why, in a few words, e.g. {@code "https://evil.example is not in the allowed origins"}
     */
    record Refused(String origin, String reason) implements OriginCheck {
    }
}
