package ai.clawbot.host.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The start-up handshake warm-up (a loopback connect while the gateway starts) leaves no trace and holds no
 * privilege: it is refused as "starting", counts no failed authentication, leaves no connection open, and sent
 * against a ready gateway it is refused like any client without the token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandshakeWarmupTest {

    private static final String BEARER = "Bearer " + TestGateway.TOKEN;
    private Path state;
    private Gateway gateway;
    private GatewayHttp http;
    private String metricsAtStart;

    @BeforeAll
    void start() throws Exception {
        state = Files.createTempDirectory("claw-warmup");
        gateway = TestGateway.start(state, SandboxObserver.NONE);
        http = GatewayHttp.on(gateway.port());
        metricsAtStart = http.get("/metrics", "Authorization", BEARER).body(); // before any test connects
    }

    @AfterAll
    void stop() throws Exception {
        gateway.close();
        TestGateway.deleteTree(state);
    }

    @Test
    void theStartUpWarmupCountsNoAuthFailureLeavesNoConnectionAndTheFirstClientConnects() throws Exception {
        assertThat(metricsAtStart).contains("clawbot_ws_connections")
                .doesNotContainPattern("clawbot_auth_failures_total\\{[^}]*} [1-9]");
        GatewayHttp.await(Duration.ofSeconds(10), "the warm-up's connection closed",
                () -> gauge("clawbot_ws_connections") == 0.0);
        try (ProtocolClient client = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            assertThat(client.request("health").at("/payload/ok").asBoolean()).isTrue();
        }
    }

    @Test
    void theWarmupCarriesNoCredentialsAReadyGatewayRefusesItAsTokenMissing() throws Exception {
        double before = failures("token_missing");
        HandshakeWarmup.start(gateway.webSocketUri()).get(10, TimeUnit.SECONDS);
        GatewayHttp.await(Duration.ofSeconds(10), "the warm-up refused for its missing token",
                () -> failures("token_missing") == before + 1);
    }

    private double gauge(String name) {
        try {
            return GatewayHttp.sample(http.get("/metrics", "Authorization", BEARER).body(), name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private double failures(String reason) {
        try {
            return GatewayHttp.sample(http.get("/metrics", "Authorization", BEARER).body(),
                    "clawbot_auth_failures_total", "reason", reason);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
