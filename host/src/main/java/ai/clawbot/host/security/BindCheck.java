package ai.clawbot.host.security;

import ai.clawbot.host.gateway.auth.BindPolicy;
import java.net.InetAddress;
import java.util.List;

/** {@code gateway.bind} other than loopback: the gateway (and its token prompt) is reachable from the network. */
record BindCheck() implements AuditCheck {

    static final String ID = "gateway.bind_non_loopback";

    @Override
    public List<Finding> run(AuditContext c) {
        String bind = c.config().path("gateway").path("bind").asText("loopback");
        InetAddress address;
        try {
            address = BindPolicy.resolveBind(bind);
        } catch (IllegalArgumentException e) {
            return List.of(Finding.warn(ID, "gateway.bind is not usable", e.getMessage(),
                    "set gateway.bind to \"loopback\" in " + c.state().configFile()));
        }
        if (BindPolicy.isLoopback(address)) {
            return List.of();
        }
        return List.of(Finding.warn(ID, "the gateway listens on " + address.getHostAddress() + ", not loopback",
                "gateway.bind is '" + bind + "': every host that can reach this machine can try the gateway token"
                        + " (failed attempts are rate-limited, the token is the only barrier)",
                "set gateway.bind to \"loopback\" and reach the gateway through an SSH tunnel or a reverse proxy with TLS"));
    }
}
