package ai.clawbot.host.sandbox.egress;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.sandbox.egress.EgressEvent.Reason;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the proxy does with bad, huge, slow, idle or too many clients, and with destinations that fail. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class EgressProxyLimitsTest {

    private LocalOrigins origins;
    private final RecordingListener events = new RecordingListener();
    private EgressProxy proxy;

    @BeforeEach
    void origins() throws IOException {
        origins = new LocalOrigins();
    }

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        origins.close();
    }

    private EgressProxy.Builder builder() {
        return EgressProxy.builder()
                .bind(LocalOrigins.LOOPBACK, 0)
                .allow(List.of(new HostPort("allowed.test", origins.httpPort()), new HostPort("allowed.test", origins.echoPort())))
                .resolver(LocalOrigins.TEST_NAMES)
                .listener(events);
    }

    private EgressProxy start(EgressProxy.Builder b) throws IOException {
        proxy = b.build().start();
        return proxy;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GARBAGE\r\n\r\n",
            "GET  http://allowed.test/ HTTP/1.1\r\n\r\n",
            "GET /relative HTTP/1.1\r\nHost: allowed.test\r\n\r\n",
            "GET https://allowed.test/ HTTP/1.1\r\n\r\n",
            "GET http://allowed.test/ HTTP/2.0\r\n\r\n",
            "GET http://user@allowed.test/ HTTP/1.1\r\n\r\n",
            "GET http://allowed.test/ HTTP/1.1\nHost: allowed.test\n\n",
            "GET http://allowed.test/ HTTP/1.1\r\nBad Name: x\r\n\r\n",
            "GET http://allowed.test/ HTTP/1.1\r\nX-A: 1\r\n folded\r\n\r\n",
            "GET http://allowed.test/ HTTP/1.1\r\nX-A: \u0000\r\n\r\n",
            "CONNECT allowed.test HTTP/1.1\r\n\r\n",
            "CONNECT [::1]:443 HTTP/1.1\r\n\r\n",
            "CONNECT 127.1:443 HTTP/1.1\r\n\r\n",
            "POST http://allowed.test/ HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST http://allowed.test/ HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
    })
    void malformedRequestsGet400AndNoDecision(String request) throws Exception {
        start(builder());
        try (RawClient c = new RawClient(proxy.address())) {
            c.send(request);
            assertThat(c.readHead().status()).isEqualTo(400);
        }
        assertThat(events.allowed).isEmpty();
        assertThat(events.refused).isEmpty();
        assertThat(origins.httpRequests).hasValue(0);
    }

    @Test
    void anOversizedHeadGets431() throws Exception {
        start(builder());
        try (RawClient c = new RawClient(proxy.address())) {
            c.send("GET http://allowed.test:" + origins.httpPort() + "/x HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
            assertThat(c.readHead().status()).isEqualTo(431);
        }
        try (RawClient c = new RawClient(proxy.address())) {
            c.send("GET http://allowed.test:" + origins.httpPort() + "/" + "a".repeat(17_000) + " HTTP/1.1\r\n\r\n");
            assertThat(c.readHead().status()).isEqualTo(431);
        }
        assertThat(origins.httpRequests).hasValue(0);
    }

    @Test
    void aHeadDrippedSlowerThanTheDeadlineGets408() throws Exception {
        start(builder().headTimeout(Duration.ofMillis(500)));
        try (RawClient c = new RawClient(proxy.address())) {
            // one byte every 100 ms: every single read is quick, the head as a whole is not
            Thread drip = Thread.ofVirtual().start(() -> {
                try {
                    for (char ch : "GET http://allowed.test/ HTTP/1.1\r\nX-Slow: ".toCharArray()) {
                        c.send(String.valueOf(ch));
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException ignored) {
                    // the proxy hung up, as it should
                }
            });
            long t0 = System.nanoTime();
            assertThat(c.readHead().status()).isEqualTo(408);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            drip.interrupt();
        }
    }

    @Test
    void anIdleTunnelIsClosedButABusyOneIsNot() throws Exception {
        // Traffic paced 200 ms apart against a 1 s idle timeout: a loaded 2-core machine can stall this thread a
        // few hundred ms between two sends, which is not idleness (a 400 ms timeout left 200 ms of slack).
        start(builder().idleTimeout(Duration.ofMillis(1000)));
        try (RawClient c = new RawClient(proxy.address())) {
            c.send("CONNECT allowed.test:" + origins.echoPort() + " HTTP/1.1\r\n\r\n");
            assertThat(c.readHead().status()).isEqualTo(200);
            for (int i = 0; i < 15; i++) { // 3 s of traffic, three idle timeouts' worth
                c.send("tick" + i + "\n");
                assertThat(c.readLine()).isEqualTo("tick" + i);
                Thread.sleep(200);
            }
            long t0 = System.nanoTime();
            assertThat(c.readByteOrEnd()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void pastTheConnectionLimitClientsGet503UntilASlotFrees() throws Exception {
        start(builder().maxConnections(1));
        String request = "GET http://allowed.test:" + origins.httpPort() + "/x HTTP/1.1\r\n\r\n";
        try (RawClient holder = new RawClient(proxy.address())) {
            holder.send("GET http://allowed"); // holds the only slot, head unfinished
            try (RawClient second = new RawClient(proxy.address())) {
                second.send(request);
                RawClient.Head head = second.readHead();
                assertThat(head.status()).isEqualTo(503);
            }
        }
        // the holder is gone; its slot comes back once the proxy sees the close
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int status;
        do {
            try (RawClient c = new RawClient(proxy.address())) {
                status = c.send(request).readHead().status();
            }
        } while (status == 503 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
    }

    @Test
    void anUnresolvableAllowedNameGets502AndARefusal() throws Exception {
        start(builder().allow(List.of(new HostPort("nowhere.test", 80))));
        try (RawClient c = new RawClient(proxy.address())) {
            c.send("GET http://nowhere.test/ HTTP/1.1\r\n\r\n");
            assertThat(c.readHead().status()).isEqualTo(502);
        }
        assertThat(events.refused).singleElement().extracting(EgressEvent::reason).isEqualTo(Reason.UNRESOLVABLE);
    }

    @Test
    void anAllowedDestinationThatIsDownGets502() throws Exception {
        int down = LocalOrigins.closedPort();
        start(builder().allow(List.of(new HostPort("allowed.test", down))));
        try (RawClient c = new RawClient(proxy.address())) {
            c.send("CONNECT allowed.test:" + down + " HTTP/1.1\r\n\r\n");
            RawClient.Head head = c.readHead();
            assertThat(head.status()).isEqualTo(502);
            assertThat(c.readToEnd()).contains("could not connect to allowed.test:" + down);
        }
        assertThat(events.allowed).hasSize(1);
    }
}
