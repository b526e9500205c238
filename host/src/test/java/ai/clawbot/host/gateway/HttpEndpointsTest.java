package ai.clawbot.host.gateway;

import ai.clawbot.host.wiring.Gateways;

import ai.clawbot.host.config.StateDir;
import static ai.clawbot.host.gateway.GatewayHttp.labelValues;
import static ai.clawbot.host.gateway.GatewayHttp.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.WsProbe;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /healthz}, {@code /readyz}, {@code /metrics} and the Control UI page, over real HTTP on the gateway's
 * WebSocket port. Metrics assertions compare before/after scrapes, so tests sharing the gateway do not interfere.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpEndpointsTest {

    private static final String RPC = "clawbot_rpc_requests_total";
    private static final String WRONG_TOKEN = "wrong-token-" + "Zq7vK2pX9mW4";

    @TempDir
    static Path dir;
    static Gateway gateway;
    static GatewayHttp http;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start(dir, SandboxObserver.NONE);
        http = GatewayHttp.on(gateway.port());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void healthzAndReadyzAnswerJsonOnceStarted() throws Exception {
        HttpResponse<String> live = http.get("/healthz");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(GatewayHttp.json(live)).isEqualTo(GatewayHttp.JSON.readTree("{\"ok\":true,\"status\":\"live\"}"));

        HttpResponse<String> ready = http.get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(GatewayHttp.json(ready)).isEqualTo(GatewayHttp.JSON.readTree("{\"ready\":true,\"status\":\"ready\"}"));
    }

    @Test
    void metricsAreOpenToLoopbackWithoutAuthInPrometheusTextFormat() throws Exception {
        HttpResponse<String> r = http.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v ->
                assertThat(v).startsWith("text/plain").contains("version=0.0.4"));
        assertThat(r.body()).contains("# TYPE " + RPC + " counter", "# TYPE clawbot_ws_connections gauge",
                "# TYPE clawbot_auth_failures_total counter", "clawbot_uptime_seconds ");
        assertThat(sample(r.body(), "clawbot_build_info", "version", Gateway.VERSION)).isEqualTo(1.0);
    }

    @Test
    void rpcCountersReflectTheRequestsMadeByMethodAndOutcome() throws Exception {
        String before = scrape();
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            for (int i = 0; i < 3; i++) {
                assertThat(c.request("health").path("ok").asBoolean()).isTrue();
            }
            assertThat(c.request("status").path("ok").asBoolean()).isTrue();
            for (int i = 0; i < 2; i++) { // no sessionKey: a typed error, counted as outcome="error"
                assertThat(c.request("chat.history").path("ok").asBoolean()).isFalse();
            }
        }
        String after = scrape();
        assertThat(delta(before, after, RPC, "method", "health", "outcome", "ok")).isEqualTo(3);
        assertThat(delta(before, after, RPC, "method", "health", "outcome", "error")).isZero();
        assertThat(delta(before, after, RPC, "method", "status", "outcome", "ok")).isEqualTo(1);
        assertThat(delta(before, after, RPC, "method", "chat.history", "outcome", "error")).isEqualTo(2);
        assertThat(delta(before, after, "clawbot_rpc_duration_seconds_count", "method", "health")).isEqualTo(3);
    }

    @Test
    void wsConnectionGaugeMatchesTheOpenSocketsThroughCleanCloses() throws Exception {
        int base = connections();
        List<WsProbe> open = new ArrayList<>();
        try {
            open.add(authenticated());
            open.add(authenticated());
            open.add(WsProbe.open(gateway.webSocketUri())); // not yet authenticated: still an open socket
            awaitConnections(base + 3);
            open.remove(0).close(); // a close frame, then the TCP close
            awaitConnections(base + 2);
        } finally {
            open.forEach(WsProbe::close);
        }
        awaitConnections(base);
        try (ProtocolClient refused = ProtocolClient.open(gateway.webSocketUri())) {
            refused.sendConnect(WRONG_TOKEN); // the server closes this one itself (1008)
            assertThat(refused.awaitClose(Duration.ofSeconds(5))).isEqualTo(1008);
            awaitConnections(base);
        }
    }

    /**
     * A client that vanishes without a close frame (crash, network drop, {@code WebSocket.abort()}) must leave
     * the gauge and the broadcast list too; otherwise both only ever grow on a long-running gateway. Ticks every
     * second here, so a gateway that notices dead peers only when a write to them fails has several chances.
     */
    @Test
    void aPeerThatVanishesWithoutACloseFrameLeavesTheGaugeAndTheHub(@TempDir Path own) throws Exception {
        GatewayHttp.writeConfig(own, "{\"gateway\":{\"tickIntervalMs\":1000}}");
        try (Gateway g = TestGateway.start(own, SandboxObserver.NONE);
             ProtocolClient observer = ProtocolClient.connect(g.webSocketUri(), TestGateway.TOKEN)) {
            GatewayHttp h = GatewayHttp.on(g.port());
            ProtocolClient victim = ProtocolClient.connect(g.webSocketUri(), TestGateway.TOKEN);
            assertThat(victim.request("health").path("ok").asBoolean()).isTrue();
            assertThat(hubSize(observer)).isEqualTo(2);
            assertThat(sample(h.get("/metrics").body(), "clawbot_ws_connections")).isEqualTo(2);
            victim.close(); // WebSocket.abort(): the TCP connection closes, no close frame
            double[] gauge = {-1};
            int[] hub = {-1};
            try {
                GatewayHttp.await(Duration.ofSeconds(8), "the vanished peer to be forgotten", () -> {
                    try {
                        gauge[0] = sample(h.get("/metrics").body(), "clawbot_ws_connections");
                        hub[0] = hubSize(observer);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return gauge[0] == 1 && hub[0] == 1;
                });
            } catch (AssertionError e) {
                throw new AssertionError("8 s after a peer vanished: clawbot_ws_connections=" + gauge[0]
                        + ", status.connections=" + hub[0] + " (expected 1 and 1)", e);
            }
        }
    }

    private static int hubSize(ProtocolClient c) throws Exception {
        return c.request("status").path("payload").path("connections").asInt(-1);
    }

    @Test
    void authFailuresShowInTheAuthFailureCounter() throws Exception {
        String before = scrape();
        try (ProtocolClient wrong = ProtocolClient.open(gateway.webSocketUri());
             ProtocolClient none = ProtocolClient.open(gateway.webSocketUri())) {
            JsonNode r1 = wrong.sendConnect(WRONG_TOKEN);
            assertThat(r1.path("error").path("details").path("code").asText()).isEqualTo("AUTH_TOKEN_MISMATCH");
            JsonNode r2 = none.sendConnect(null);
            assertThat(r2.path("error").path("details").path("code").asText()).isEqualTo("AUTH_TOKEN_MISSING");
        }
        String after = scrape();
        assertThat(delta(before, after, "clawbot_auth_failures_total", "reason", "token_mismatch")).isEqualTo(1);
        assertThat(delta(before, after, "clawbot_auth_failures_total", "reason", "token_missing")).isEqualTo(1);
    }

    @Test
    void randomUnknownMethodNamesCollapseIntoOneSeries() throws Exception {
        String before = scrape();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            names.add("x" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + ".probe");
        }
        // Hostile shapes too: a label-injection attempt, and something shaped like a real method's family.
        names.add("health\",outcome=\"ok\"} 999\nclawbot_fake_total 1");
        names.add("chat.sendx");
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            for (String n : names) {
                JsonNode r = c.request(n);
                assertThat(r.path("error").path("details").path("code").asText()).isEqualTo("UNKNOWN_METHOD");
            }
        }
        String after = scrape();
        assertThat(delta(before, after, RPC, "method", "unknown", "outcome", "error")).isEqualTo(names.size());
        Set<String> added = new HashSet<>(labelValues(after, RPC, "method"));
        added.removeAll(labelValues(before, RPC, "method"));
        assertThat(added).isSubsetOf("unknown");
        for (String n : names) {
            assertThat(after).doesNotContain(n.substring(0, Math.min(10, n.length())) + "\"");
        }
        assertThat(after).doesNotContain("clawbot_fake_total").doesNotContain("} 999");
    }

    @Test
    void theTokenNeverLeaksIntoErrorsMetricsLogsOrThePage() throws Exception {
        StringBuilder seen = new StringBuilder();
        try (ProtocolClient wrong = ProtocolClient.open(gateway.webSocketUri())) {
            JsonNode refused = wrong.sendConnect(WRONG_TOKEN);
            assertThat(refused.path("ok").asBoolean()).isFalse();
            seen.append(refused).append('\n');
        }
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            // A client naming a method after the token must not get it into a metric label either.
            seen.append(c.request(TestGateway.TOKEN)).append('\n');
            JsonNode logs = c.request("logs.tail", ProtocolClient.params().put("limit", 500));
            assertThat(logs.path("ok").asBoolean()).isTrue();
            String logText = logs.path("payload").toString();
            assertThat(logText).contains("wrong gateway token"); // the attempt is logged ...
            assertThat(logText).doesNotContain(TestGateway.TOKEN).doesNotContain(WRONG_TOKEN); // ... without either token
        }
        assertThat(seen.toString()).doesNotContain(WRONG_TOKEN).contains("AUTH_TOKEN_MISMATCH");
        String metrics = scrape();
        assertThat(metrics).doesNotContain(TestGateway.TOKEN).doesNotContain(WRONG_TOKEN);
        HttpResponse<String> page = http.get("/");
        assertThat(page.body()).doesNotContain(TestGateway.TOKEN);
    }

    @Test
    void controlUiPageCarriesSecurityHeaders() throws Exception {
        HttpResponse<String> page = http.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(v ->
                assertThat(v).contains("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("x-frame-options")).hasValue("DENY");
        assertThat(page.body()).containsIgnoringCase("<html");
    }

    /** The loopback exemption must not extend to other addresses: from a LAN address /metrics needs the bearer. */
    @Test
    void metricsFromANonLoopbackAddressNeedTheGatewayToken(@TempDir Path lanState) throws Exception {
        Optional<InetAddress> lan = lanAddress();
        assumeTrue(lan.isPresent(), "no non-loopback IPv4 interface on this machine");
        String ip = lan.get().getHostAddress();
        try (Gateway g = Gateways.start(new GatewayConfig(ip, 0, TestGateway.TOKEN, new StateDir(lanState)))) {
            GatewayHttp lanHttp = GatewayHttp.on(ip, g.port());
            HttpResponse<String> anonymous = lanHttp.get("/metrics");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(anonymous.body()).doesNotContain("clawbot_").doesNotContain(TestGateway.TOKEN);
            HttpResponse<String> wrong = lanHttp.get("/metrics", "Authorization", "Bearer " + WRONG_TOKEN);
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).doesNotContain(WRONG_TOKEN).doesNotContain(TestGateway.TOKEN);
            HttpResponse<String> prefix = lanHttp.get("/metrics", "Authorization", "Bearer " + TestGateway.TOKEN.substring(0, 20));
            assertThat(prefix.statusCode()).isEqualTo(401);
            HttpResponse<String> ok = lanHttp.get("/metrics", "Authorization", "Bearer " + TestGateway.TOKEN);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(sample(ok.body(), "clawbot_auth_failures_total", "reason", "http_bearer")).isEqualTo(3);
            assertThat(ok.body()).doesNotContain(TestGateway.TOKEN);
        }
    }

    private static Optional<InetAddress> lanAddress() throws Exception {
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            if (nif.isUp() && !nif.isLoopback()) {
                Optional<InetAddress> a = nif.inetAddresses().filter(x -> x instanceof Inet4Address)
                        .filter(x -> !x.isLoopbackAddress()).findFirst();
                if (a.isPresent()) {
                    return a;
                }
            }
        }
        return Optional.empty();
    }

    private static String scrape() throws Exception {
        HttpResponse<String> r = http.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static double delta(String before, String after, String name, String... labels) {
        return sample(after, name, labels) - sample(before, name, labels);
    }

    private static int connections() throws Exception {
        return (int) sample(scrape(), "clawbot_ws_connections");
    }

    /** A socket that completed the handshake, driven by {@link WsProbe} (whose close sends a close frame). */
    private static WsProbe authenticated() throws Exception {
        WsProbe p = WsProbe.open(gateway.webSocketUri());
        assertThat(p.next(Duration.ofSeconds(5))).contains("connect.challenge");
        p.text("{\"type\":\"req\",\"id\":\"c1\",\"method\":\"connect\",\"params\":{\"minProtocol\":4,\"maxProtocol\":4,"
                + "\"client\":{\"id\":\"probe\",\"version\":\"1\",\"platform\":\"java\",\"mode\":\"cli\"},"
                + "\"role\":\"operator\",\"auth\":{\"token\":\"" + TestGateway.TOKEN + "\"}}}");
        String reply = p.next(Duration.ofSeconds(5));
        while (reply != null && reply.contains("\"event\":\"tick\"")) { // a tick may go out as the client joins
            reply = p.next(Duration.ofSeconds(5));
        }
        assertThat(reply).contains("hello-ok");
        return p;
    }

    private static void awaitConnections(int n) throws Exception {
        String[] last = {""};
        try {
            GatewayHttp.await(Duration.ofSeconds(5), "clawbot_ws_connections == " + n, () -> {
                try {
                    last[0] = scrape();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return sample(last[0], "clawbot_ws_connections") == n;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last value " + sample(last[0], "clawbot_ws_connections"), e);
        }
    }
}
