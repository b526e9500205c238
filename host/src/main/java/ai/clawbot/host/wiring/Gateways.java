package ai.clawbot.host.wiring;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.sandbox.SandboxSettings;
import java.io.IOException;
import java.util.function.UnaryOperator;

/**
 * The composition root's way to start a gateway: the transport ({@link Gateway}) with this package's
 * {@link GatewayServices} behind it. {@code claw gateway}, embedders and tests start gateways here; the
 * {@code gateway} package never names this one.
 */
public final class Gateways {

    private Gateways() {
    }

    public static Gateway start(GatewayConfig config) throws IOException {
        return start(config, Gateway.Options.defaults());
    }

    public static Gateway start(GatewayConfig config, SandboxObserver observer) throws IOException {
        return start(config, Gateway.Options.defaults().observer(observer));
    }

    /** As above, with the detected sandbox settings adjusted (tests: pool sizes, an egress resolver). */
    public static Gateway start(GatewayConfig config, SandboxObserver observer, UnaryOperator<SandboxSettings> tune)
            throws IOException {
        return start(config, Gateway.Options.defaults().observer(observer).tune(tune));
    }

    public static Gateway start(GatewayConfig config, Gateway.Options options) throws IOException {
        return Gateway.start(config, options, GatewayServices::start);
    }
}
