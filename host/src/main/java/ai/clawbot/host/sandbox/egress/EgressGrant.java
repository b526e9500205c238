package ai.clawbot.host.sandbox.egress;

import java.util.Locale;
import java.util.Objects;

/**
 * A destination an operator granted a skill through a setting (within the bounds its signed manifest sets):
 * {@code host:port}, or any public host on {@code port} when {@code host} is {@value #ANY_HOST}. A name that
 * resolves to a loopback, private or link-local address is refused unless {@code allowPrivate}; an IP literal
 * the operator wrote is used as written (except for an any-host grant, which never reaches an internal address).
 *
 * @param name         what granted it, e.g. {@code plugins.entries.web.config.sites}: named in the proxy's log
 * @param allowPrivate the operator set {@code allowPrivate: true} on this grant
 */
public record EgressGrant(String host, int port, String name, boolean allowPrivate) {

    public static final String ANY_HOST = "*";

    public EgressGrant {
        Objects.requireNonNull(name, "name");
        host = host.toLowerCase(Locale.ROOT);
        if (!host.equals(ANY_HOST)) {
            host = new HostPort(host, port).host(); // checks the name and the port
        } else if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (1-65535)");
        }
    }

    public boolean anyHost() {
        return host.equals(ANY_HOST);
    }

    boolean covers(HostPort target) {
        return port == target.port() && (anyHost() || host.equals(target.host()));
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
