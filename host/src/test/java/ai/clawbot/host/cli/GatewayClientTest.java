package ai.clawbot.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client behind {@code claw tools invoke}, against a real gateway (no tool runs: no Docker needed). */
class GatewayClientTest {

    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path state;

    @Test
    void connectsWithTheTokenAndReturnsTheGatewaysTypedErrors() throws Exception {
        try (Gateway gw = TestGateway.start(state, SandboxObserver.NONE);
             GatewayClient c = GatewayClient.connect(gw.webSocketUri(), TestGateway.TOKEN, T)) {
            JsonNode res = c.request("tools.invoke", new ObjectMapper().createObjectNode()
                    .put("skill", "nope").put("tool", "x").put("agentId", "default"), T);
            assertThat(res.path("ok").asBoolean()).as(res.toString()).isFalse();
            assertThat(res.at("/error/details/code").asText()).isEqualTo("UNKNOWN_SKILL");
            assertThat(c.request("skills.list", new ObjectMapper().createObjectNode(), T).path("ok").asBoolean()).isTrue();
        }
    }

    /** The JDK socket fails a send made while the one before is still completing; every request must still be sent. */
    @Test
    void requestsFromManyThreadsAtOnceAllGetTheirAnswers() throws Exception {
        try (Gateway gw = TestGateway.start(state, SandboxObserver.NONE);
             GatewayClient c = GatewayClient.connect(gw.webSocketUri(), TestGateway.TOKEN, T);
             var threads = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var answers = new java.util.ArrayList<java.util.concurrent.Future<JsonNode>>();
            for (int i = 0; i < 200; i++) {
                answers.add(threads.submit(() -> c.request("skills.list", new ObjectMapper().createObjectNode(), T)));
            }
            for (var a : answers) {
                assertThat(a.get().path("ok").asBoolean()).as(a.get().toString()).isTrue();
            }
        }
    }

    @Test
    void aWrongTokenIsRefusedWithTheGatewaysReason() throws Exception {
        try (Gateway gw = TestGateway.start(state, SandboxObserver.NONE)) {
            assertThatThrownBy(() -> GatewayClient.connect(gw.webSocketUri(), "wrong-token-0123456789", T))
                    .isInstanceOf(IOException.class).hasMessageContaining("refused");
        }
    }

    @Test
    void noGatewayIsAClearError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> GatewayClient.connect(URI.create("ws://127.0.0.1:" + port + "/"), "t", T))
                .isInstanceOf(IOException.class).hasMessageContaining("no gateway answers");
    }
}
