package ai.clawbot.host.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.config.StateDir;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The address `claw` clients dial for a gateway's bind address. */
class GatewayConfigClientUriTest {

    private static GatewayConfig bound(String bind) {
        return new GatewayConfig(bind, 18789, "0123456789abcdef0123", new StateDir(Path.of("/tmp/claw-uri-test")));
    }

    @Test
    void aWildcardBindIsDialledOnLoopbackAndIpv6InBrackets() {
        assertThat(bound("127.0.0.1").localWebSocketUri()).hasToString("ws://127.0.0.1:18789/");
        assertThat(bound("0.0.0.0").localWebSocketUri()).hasToString("ws://127.0.0.1:18789/");
        assertThat(bound("::1").localWebSocketUri()).hasToString("ws://[::1]:18789/");
    }
}
