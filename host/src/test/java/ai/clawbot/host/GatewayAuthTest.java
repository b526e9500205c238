package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Handshake and token checks over a real socket; needs no Docker (no tool is called). */
class GatewayAuthTest {

    private static Path state;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        state = Files.createTempDirectory("claw-auth");
        gateway = TestGateway.start(state, SandboxObserver.NONE);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        TestGateway.deleteTree(state);
    }

    @Test
    void serverSpeaksFirstWithAChallengeThenAcceptsTheTokenWithHelloOk() throws Exception {
        try (ProtocolClient client = ProtocolClient.open(gateway.webSocketUri())) {
            JsonNode res = client.sendConnect(TestGateway.TOKEN);
            assertThat(res.path("ok").asBoolean()).as(res.toString()).isTrue();
            JsonNode hello = res.path("payload");
            assertThat(hello.path("type").asText()).isEqualTo("hello-ok");
            assertThat(hello.path("protocol").asInt()).isEqualTo(4);
            assertThat(hello.at("/server/connId").asText()).isNotBlank();
            assertThat(hello.at("/features/methods").toString()).contains("health", "skills.list", "tools.invoke");
            assertThat(hello.at("/policy/maxPayload").asInt()).isPositive();
            assertThat(hello.toString()).doesNotContain(TestGateway.TOKEN);
            assertThat(client.request("health").at("/payload/status").asText()).isEqualTo("live");
        }
    }

    @Test
    void missingTokenIsRefusedWithATypedErrorAndClose1008WhileOtherClientsKeepWorking() throws Exception {
        try (ProtocolClient good = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN);
             ProtocolClient bad = ProtocolClient.open(gateway.webSocketUri())) {
            JsonNode res = bad.sendConnect(null);
            assertThat(res.path("ok").asBoolean()).isFalse();
            assertThat(res.at("/error/code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(res.at("/error/message").asText()).isEqualTo("unauthorized: gateway token missing");
            assertThat(res.at("/error/details/code").asText()).isEqualTo("AUTH_TOKEN_MISSING");
            assertThat(bad.awaitClose(Duration.ofSeconds(5))).isEqualTo(1008);
            assertThat(good.request("health").at("/payload/ok").asBoolean()).isTrue();
        }
    }

    @Test
    void wrongTokenIsRefusedWithATypedErrorThatNeverEchoesTokens() throws Exception {
        try (ProtocolClient good = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN);
             ProtocolClient bad = ProtocolClient.open(gateway.webSocketUri())) {
            String wrong = TestGateway.TOKEN.substring(0, TestGateway.TOKEN.length() - 1) + "X";
            JsonNode res = bad.sendConnect(wrong);
            assertThat(res.path("ok").asBoolean()).isFalse();
            assertThat(res.at("/error/details/code").asText()).isEqualTo("AUTH_TOKEN_MISMATCH");
            assertThat(res.toString()).doesNotContain(wrong).doesNotContain(TestGateway.TOKEN);
            assertThat(bad.awaitClose(Duration.ofSeconds(5))).isEqualTo(1008);
            assertThat(good.request("skills.list").path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void anyRequestBeforeConnectIsRefusedAndTheSocketClosed() throws Exception {
        try (ProtocolClient bad = ProtocolClient.open(gateway.webSocketUri())) {
            bad.nextEvent(Duration.ofSeconds(5)); // the challenge
            JsonNode res = bad.request("skills.list");
            assertThat(res.path("ok").asBoolean()).isFalse();
            assertThat(res.at("/error/message").asText()).contains("first request must be 'connect'");
            assertThat(bad.awaitClose(Duration.ofSeconds(5))).isEqualTo(1008);
        }
    }

    @Test
    void aProtocolRangeWithoutVersion4IsRefusedClearly() throws Exception {
        try (ProtocolClient bad = ProtocolClient.open(gateway.webSocketUri())) {
            bad.nextEvent(Duration.ofSeconds(5));
            var params = ProtocolClient.params().put("minProtocol", 1).put("maxProtocol", 3);
            params.putObject("auth").put("token", TestGateway.TOKEN);
            JsonNode res = bad.request("connect", params);
            assertThat(res.at("/error/details/code").asText()).isEqualTo("PROTOCOL_UNSUPPORTED");
            assertThat(res.at("/error/message").asText()).contains("[1, 3]").contains("4");
            assertThat(bad.awaitClose(Duration.ofSeconds(5))).isEqualTo(1008);
        }
    }

    @Test
    void anOversizedFrameBeforeConnectIsRefused() throws Exception {
        try (ProtocolClient bad = ProtocolClient.open(gateway.webSocketUri())) {
            bad.nextEvent(Duration.ofSeconds(5));
            var params = ProtocolClient.params().put("pad", "x".repeat(70 * 1024));
            params.putObject("auth").put("token", TestGateway.TOKEN);
            try {
                bad.request("connect", params);
            } catch (Exception expected) {
                // the server may close before answering the id
            }
            assertThat(bad.awaitClose(Duration.ofSeconds(5))).isIn(1008, 1009);
        }
    }

    @Test
    void healthzAnswersOverPlainHttpOnTheSamePort() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"ok\":true");
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(gateway.controlUiUrl().toString()).contains("/#token=" + TestGateway.TOKEN);
    }
}
