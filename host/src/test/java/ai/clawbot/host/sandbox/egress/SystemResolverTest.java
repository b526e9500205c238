package ai.clawbot.host.sandbox.egress;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.sandbox.egress.EgressEvent.Reason;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With the default (system) resolver, an allowlisted name that resolves to loopback is refused (DNS
 * rebinding), while the loopback literal itself, when allowlisted, is served.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SystemResolverTest {

    private LocalOrigins origins;
    private EgressProxy proxy;
    private final RecordingListener events = new RecordingListener();

    @BeforeEach
    void start() throws Exception {
        origins = new LocalOrigins();
        proxy = EgressProxy.builder()
                .bind(LocalOrigins.LOOPBACK, 0)
                .allow(List.of(HostPort.parse("localhost:" + origins.httpPort()), HostPort.parse("127.0.0.1:" + origins.httpPort())))
                .listener(events)
                .build().start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        origins.close();
    }

    @Test
    void anAllowlistedNameThatResolvesToLoopbackIsRefused() throws Exception {
        try (RawClient c = new RawClient(proxy.address())) {
            c.send("GET http://localhost:" + origins.httpPort() + "/x HTTP/1.1\r\n\r\n");
            assertThat(c.readHead().status()).isEqualTo(403);
            assertThat(c.readToEnd()).contains("loopback, private or other non-public address");
        }
        assertThat(origins.httpRequests).hasValue(0);
        assertThat(events.refused).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(Reason.INTERNAL_ADDRESS);
            assertThat(e.detail()).containsAnyOf("127.", "0:0:0:0:0:0:0:1");
        });
    }

    @Test
    void theAllowlistedLoopbackLiteralItselfIsServed() throws Exception {
        try (RawClient c = new RawClient(proxy.address())) {
            c.send("GET http://127.0.0.1:" + origins.httpPort() + "/x HTTP/1.1\r\n\r\n");
            assertThat(c.readHead().status()).isEqualTo(200);
            assertThat(c.readToEnd()).isEqualTo(LocalOrigins.BODY);
        }
        assertThat(events.allowed).singleElement().extracting(EgressEvent::host).isEqualTo("127.0.0.1");
    }
}
