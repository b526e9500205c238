package ai.clawbot.host.gateway;

import ai.clawbot.host.config.StateDir;
import java.util.Objects;

/**
 * What the gateway runs with, resolved from flags, environment and {@code openclaw.json}.
 *
 * @param bind  the address to listen on (loopback by default)
 * @param port  the port ({@code 0} picks a free one, for tests)
 * @param token the gateway token clients must present
 * @param state the state folder
 */
public record GatewayConfig(String bind, int port, String token, StateDir state) {

    public static final int DEFAULT_PORT = 18789;
    public static final String DEFAULT_BIND = "127.0.0.1";

    public GatewayConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(state, "state");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
        }
        if (token.length() < 16) {
            throw new IllegalArgumentException("the gateway token must be at least 16 characters");
        }
    }

    /** The WebSocket address a client on this machine dials ({@code port} as configured). */
    public java.net.URI localWebSocketUri() {
        return java.net.URI.create("ws://" + clientHost(bind) + ":" + port + "/");
    }

    /** How a local client names a listening address: a wildcard bind is reached on loopback, IPv6 in brackets. */
    public static String clientHost(String bindAddress) {
        return bindAddress.equals("0.0.0.0") ? "127.0.0.1" : bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
    }
}
