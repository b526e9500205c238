package ai.clawbot.host.sandbox.egress;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.sandbox.egress.EgressEvent.Reason;
import java.io.ByteArrayInputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The proxy against local destinations on 127.0.0.1, through java.net.http and raw sockets. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class EgressProxyTest {

    private LocalOrigins origins;
    private EgressProxy proxy;
    private HttpClient http;
    private final RecordingListener events = new RecordingListener();
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger jul = Logger.getLogger(EgressProxy.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void start() throws Exception {
        origins = new LocalOrigins();
        jul.addHandler(capture);
        proxy = EgressProxy.builder()
                .bind(LocalOrigins.LOOPBACK, 0)
                .allow(List.of(new HostPort("allowed.test", origins.httpPort()), new HostPort("Allowed.Test", origins.echoPort())))
                .resolver(LocalOrigins.TEST_NAMES)
                .listener(events)
                .build().start();
        http = HttpClient.newBuilder()
                .proxy(ProxySelector.of(proxy.address()))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        jul.removeHandler(capture);
        http.close();
        proxy.close();
        origins.close();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void plainHttpToAnAllowedHostReachesTheOriginAndStreamsItsAnswerBack() throws Exception {
        HttpResponse<String> r = get("http://allowed.test:" + origins.httpPort() + "/x?q=1");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(LocalOrigins.BODY);
        assertThat(r.headers().firstValue("X-Origin")).hasValue("yes");
        assertThat(r.headers().firstValue("Keep-Alive")).as("hop-by-hop response field").isEmpty();
        LocalOrigins.Seen seen = origins.seen.poll(5, TimeUnit.SECONDS);
        assertThat(seen.uri()).isEqualTo("/x?q=1");
        assertThat(seen.headers().getFirst("Host")).isEqualTo("allowed.test:" + origins.httpPort());
        assertThat(events.allowed).singleElement().satisfies(e -> {
            assertThat(e.method()).isEqualTo("GET");
            assertThat(e.host()).isEqualTo("allowed.test");
            assertThat(e.port()).isEqualTo(origins.httpPort());
            assertThat(e.reason()).isEqualTo(Reason.ALLOWED);
            assertThat(e.client().getAddress()).isEqualTo(LocalOrigins.LOOPBACK);
        });
        assertThat(events.refused).isEmpty();
    }

    @Test
    void aHostNotOnTheAllowlistGets403AnEventAndAWarningAndTheOriginIsNeverContacted() throws Exception {
        HttpResponse<String> r = get("http://denied.test:" + origins.httpPort() + "/");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("denied.test:" + origins.httpPort()).contains("not on this skill's allowlist");
        assertThat(origins.httpRequests).hasValue(0);
        assertThat(events.allowed).isEmpty();
        assertThat(events.refused).singleElement().satisfies(e -> {
            assertThat(e.host()).isEqualTo("denied.test");
            assertThat(e.reason()).isEqualTo(Reason.NOT_ON_ALLOWLIST);
        });
        assertThat(logged).anySatisfy(rec -> {
            assertThat(rec.getLevel()).isEqualTo(Level.WARNING);
            assertThat(rec.getMessage()).startsWith("egress refused: 127.0.0.1:")
                    .endsWith(" -> denied.test:" + origins.httpPort() + " (not on the allowlist)");
        });
    }

    @Test
    void anAllowedHostOnAnotherPortIsRefused() throws Exception {
        int otherPort = LocalOrigins.closedPort();
        HttpResponse<String> r = get("http://allowed.test:" + otherPort + "/x");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(events.refused).singleElement().extracting(EgressEvent::port, EgressEvent::reason)
                .containsExactly(otherPort, Reason.NOT_ON_ALLOWLIST);
    }

    @Test
    void anIpLiteralIsRefusedEvenWhenAnAllowedNameResolvesToIt() throws Exception {
        HttpResponse<String> r = get("http://127.0.0.1:" + origins.httpPort() + "/x");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(origins.httpRequests).hasValue(0);
        assertThat(events.refused).singleElement().extracting(EgressEvent::reason).isEqualTo(Reason.IP_LITERAL);
    }

    @Test
    void requestBodiesAreForwardedWithContentLengthAndChunked() throws Exception {
        String url = "http://allowed.test:" + origins.httpPort() + "/echo";
        HttpResponse<String> sized = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("sized body")).build(), HttpResponse.BodyHandlers.ofString());
        // ofInputStream has no known length, so the client sends it chunked
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream("chunked body".getBytes(StandardCharsets.UTF_8))))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(sized.statusCode()).isEqualTo(200);
        assertThat(sized.body()).isEqualTo("sized body");
        assertThat(chunked.statusCode()).isEqualTo(200);
        assertThat(chunked.body()).isEqualTo("chunked body");
    }

    @Test
    void hopByHopFieldsAreStrippedAndHostIsTheTargetsAuthority() throws Exception {
        try (RawClient c = new RawClient(proxy.address())) {
            c.send("GET http://allowed.test:" + origins.httpPort() + "/x HTTP/1.1\r\n"
                    + "Host: evil.example\r\n"
                    + "Proxy-Authorization: Basic c2VjcmV0\r\n"
                    + "Proxy-Connection: keep-alive\r\n"
                    + "Connection: keep-alive, X-Hop\r\n"
                    + "Keep-Alive: timeout=5\r\n"
                    + "TE: trailers\r\n"
                    + "Trailer: X-T\r\n"
                    + "Upgrade: h2c\r\n"
                    + "X-Hop: named in Connection\r\n"
                    + "X-Kept: yes\r\n"
                    + "\r\n");
            RawClient.Head head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Connection")).isEqualTo("close");
            assertThat(c.readToEnd()).isEqualTo(LocalOrigins.BODY);
        }
        LocalOrigins.Seen seen = origins.seen.poll(5, TimeUnit.SECONDS);
        assertThat(seen.headers().getFirst("Host")).isEqualTo("allowed.test:" + origins.httpPort());
        assertThat(seen.headers().getFirst("X-Kept")).isEqualTo("yes");
        assertThat(seen.headers().getFirst("Connection")).isEqualTo("close");
        for (String hop : List.of("Proxy-Authorization", "Proxy-Connection", "Keep-Alive", "TE", "Trailer", "Upgrade", "X-Hop")) {
            assertThat(seen.headers().containsKey(hop)).as(hop).isFalse();
        }
    }

    @Test
    void bytesAfterAFramedBodyNeverReachTheOrigin() throws Exception {
        try (RawClient c = new RawClient(proxy.address())) {
            c.send("POST http://allowed.test:" + origins.httpPort() + "/echo HTTP/1.1\r\nContent-Length: 5\r\n\r\n"
                    + "hello"
                    + "GET http://allowed.test:" + origins.httpPort() + "/smuggled HTTP/1.1\r\n\r\n");
            assertThat(c.readHead().status()).isEqualTo(200);
            assertThat(c.readToEnd()).isEqualTo("hello");
        }
        assertThat(origins.seen.poll(5, TimeUnit.SECONDS).uri()).isEqualTo("/echo");
        assertThat(origins.seen.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(origins.httpRequests).hasValue(1);
    }

    @Test
    void connectToAnAllowedHostOpensATunnelThatCarriesBytesBothWaysUntilTheOriginCloses() throws Exception {
        try (RawClient c = new RawClient(proxy.address())) {
            // the first tunnel bytes ride in the same packet as the head, as a TLS ClientHello would
            c.send("CONNECT ALLOWED.test:" + origins.echoPort() + " HTTP/1.1\r\nHost: allowed.test\r\n\r\nearly\n");
            assertThat(c.readHead().statusLine()).isEqualTo("HTTP/1.1 200 Connection established");
            assertThat(c.readLine()).isEqualTo("early");
            c.send("ping\n");
            assertThat(c.readLine()).isEqualTo("ping");
            c.send("bye\n");
            assertThat(c.readLine()).isEqualTo("bye");
            assertThat(c.readByteOrEnd()).as("the tunnel ends when the origin closes").isEqualTo(-1);
        }
        assertThat(events.allowed).singleElement().extracting(EgressEvent::method, EgressEvent::host, EgressEvent::port)
                .containsExactly("CONNECT", "allowed.test", origins.echoPort());
    }

    @Test
    void connectToAHostNotOnTheAllowlistIsRefused() throws Exception {
        try (RawClient c = new RawClient(proxy.address())) {
            c.send("CONNECT denied.test:" + origins.echoPort() + " HTTP/1.1\r\n\r\n");
            assertThat(c.readHead().status()).isEqualTo(403);
            assertThat(c.readToEnd()).contains("not on this skill's allowlist");
        }
        assertThat(origins.echoConnections).hasValue(0);
        assertThat(events.refused).singleElement().extracting(EgressEvent::method, EgressEvent::host, EgressEvent::reason)
                .containsExactly("CONNECT", "denied.test", Reason.NOT_ON_ALLOWLIST);
    }

    @Test
    void closingTheProxyEndsOpenTunnels() throws Exception {
        try (RawClient c = new RawClient(proxy.address())) {
            c.send("CONNECT allowed.test:" + origins.echoPort() + " HTTP/1.1\r\n\r\n");
            assertThat(c.readHead().status()).isEqualTo(200);
            proxy.close();
            assertThat(c.readByteOrEnd()).isEqualTo(-1);
        }
    }
}
