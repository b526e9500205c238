package ai.clawbot.host.gateway;

import static ai.clawbot.host.gateway.ProtocolSuite.JSON;
import static ai.clawbot.host.gateway.ProtocolSuite.err;
import static ai.clawbot.host.gateway.ProtocolSuite.isEvent;
import static ai.clawbot.host.gateway.ProtocolSuite.ok;
import static ai.clawbot.host.gateway.ProtocolSuite.p;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connect handshake over real JDK WebSockets: challenge, hello-ok, every refusal (token, protocol range,
 * frame order, size, origin, lockout, device identity) and the tick keepalive.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HandshakeTest {

    private static final Duration CLOSE = Duration.ofSeconds(5);
    private static final String WRONG = "wrong-token-0123456789abcdef";

    @TempDir
    static Path state;
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        // Wrong-token tests share this gateway: a high maxAttempts keeps them from locking each other out.
        gateway = ProtocolSuite.start(state, """
                {"gateway": {"tickIntervalMs": 1000,
                  "controlUi": {"allowedOrigins": ["https://ui.example"]},
                  "auth": {"rateLimit": {"maxAttempts": 1000}}}}""", new ProtocolSuite.ScriptedEngine());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static ProtocolClient open() throws Exception {
        return ProtocolClient.open(gateway.webSocketUri());
    }

    @Test
    void theServerSpeaksFirstWithAFreshNonceAndATimestamp() throws Exception {
        long before = System.currentTimeMillis();
        try (ProtocolClient a = open(); ProtocolClient b = open()) {
            JsonNode ca = a.awaitChallenge();
            JsonNode cb = b.awaitChallenge();
            assertThat(ca.path("seq").asLong()).isEqualTo(1);
            String nonce = ca.path("payload").path("nonce").asText();
            assertThat(nonce).matches("[0-9a-f]{32}");
            assertThat(cb.path("payload").path("nonce").asText()).isNotEqualTo(nonce);
            assertThat(ca.path("payload").path("ts").asLong()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
        }
    }

    @Test
    void aGoodConnectGetsHelloOkDescribingTheServer() throws Exception {
        try (ProtocolClient c = open()) {
            JsonNode hello = ok(c.sendConnect(TestGateway.TOKEN));
            assertThat(hello.path("type").asText()).isEqualTo("hello-ok");
            assertThat(hello.path("protocol").asInt()).isEqualTo(4);
            assertThat(hello.path("server").path("version").asText()).isEqualTo(Gateway.VERSION);
            assertThat(hello.path("server").path("connId").asText()).isNotBlank();
            assertThat(strings(hello.path("features").path("events")))
                    .contains("connect.challenge", "tick", "shutdown", "chat", "agent", "sessions.changed");
            assertThat(hello.path("snapshot").isObject()).isTrue();
            assertThat(hello.path("snapshot").path("uptimeMs").asLong()).isNotNegative();
            assertThat(hello.path("auth").path("role").asText()).isEqualTo("operator");
            // Without asking for fewer, a client gets every operator scope the token grants.
            assertThat(strings(hello.path("auth").path("scopes")))
                    .contains("operator.read", "operator.write", "operator.admin")
                    .containsExactlyInAnyOrderElementsOf(Scopes.OPERATOR);
            JsonNode policy = hello.path("policy");
            assertThat(policy.path("maxPayload").asLong()).isEqualTo(4L * 1024 * 1024);
            assertThat(policy.path("maxBufferedBytes").asLong()).isPositive();
            assertThat(policy.path("tickIntervalMs").asLong()).isEqualTo(1000);
            // Two connections are two connIds.
            try (ProtocolClient d = open()) {
                assertThat(ok(d.sendConnect(TestGateway.TOKEN)).path("server").path("connId").asText())
                        .isNotEqualTo(hello.path("server").path("connId").asText());
            }
        }
    }

    @Test
    void featuresMethodsIsExactlyTheCallableSet() throws Exception {
        try (ProtocolClient c = open()) {
            JsonNode hello = ok(c.sendConnect(TestGateway.TOKEN));
            List<String> listed = strings(hello.path("features").path("methods"));
            assertThat(listed).doesNotHaveDuplicates().contains("health", "status", "agents.list", "sessions.list",
                    "sessions.get", "chat.history", "sessions.reset", "sessions.delete", "chat.send", "chat.abort",
                    "skills.list", "config.get", "config.schema", "config.patch", "logs.tail", "plugins.list",
                    "plugins.install", "tools.invoke");
            // Every listed method is callable: with empty params it may refuse the input, never be unknown.
            for (String m : listed) {
                JsonNode res = c.request(m, p());
                assertThat(res.path("error").path("details").path("code").asText()).as("%s -> %s", m, res)
                        .isNotEqualTo("UNKNOWN_METHOD");
            }
            // And names that are not listed are not callable (the check above can fail).
            for (String m : List.of("connect", "system-presence", "config.apply", "sessions.compact", "node.list", "send")) {
                err(c.request(m, p()), "INVALID_REQUEST", "UNKNOWN_METHOD");
            }
            assertThat(ok(c.request("health")).path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void aWrongTokenIsRefusedAndClosed() throws Exception {
        try (ProtocolClient c = open()) {
            JsonNode res = c.sendConnect(WRONG);
            JsonNode e = err(res, "INVALID_REQUEST", "AUTH_TOKEN_MISMATCH");
            assertThat(res.toString()).doesNotContain(TestGateway.TOKEN);
            assertThat(e.path("message").asText()).doesNotContain(WRONG);
            assertThat(c.awaitClose(CLOSE)).isEqualTo(1008);
        }
    }

    @Test
    void aMissingOrEmptyTokenIsRefusedAsMissing() throws Exception {
        try (ProtocolClient c = open()) {
            err(c.sendConnect(null), "INVALID_REQUEST", "AUTH_TOKEN_MISSING");
            assertThat(c.awaitClose(CLOSE)).isEqualTo(1008);
        }
        try (ProtocolClient c = open()) {
            err(c.connectWith(ProtocolClient.connectParams("")), "INVALID_REQUEST", "AUTH_TOKEN_MISSING");
            assertThat(c.awaitClose(CLOSE)).isEqualTo(1008);
        }
    }

    @Test
    void aProtocolRangeWithoutFourIsRefused() throws Exception {
        for (int[] range : new int[][] {{1, 3}, {5, 9}}) {
            try (ProtocolClient c = open()) {
                ObjectNode params = ProtocolClient.connectParams(TestGateway.TOKEN)
                        .put("minProtocol", range[0]).put("maxProtocol", range[1]);
                JsonNode e = err(c.connectWith(params), "INVALID_REQUEST", "PROTOCOL_UNSUPPORTED");
                assertThat(e.path("details").path("serverProtocol").asInt()).isEqualTo(4);
                assertThat(c.awaitClose(CLOSE)).as("range %s", Arrays.toString(range)).isEqualTo(1008);
            }
        }
        // A range that includes 4 is fine.
        try (ProtocolClient c = open()) {
            ok(c.connectWith(ProtocolClient.connectParams(TestGateway.TOKEN).put("minProtocol", 3).put("maxProtocol", 5)));
        }
    }

    @Test
    void aRequestBeforeConnectIsRefusedAndClosed() throws Exception {
        try (ProtocolClient c = open()) {
            c.awaitChallenge();
            JsonNode e = err(c.request("health"), "INVALID_REQUEST", null);
            assertThat(e.path("message").asText()).contains("connect");
            assertThat(c.awaitClose(CLOSE)).isEqualTo(1008);
        }
    }

    @Test
    void anOversizedFrameBeforeConnectIsRefusedAndClosed() throws Exception {
        try (ProtocolClient c = open()) {
            c.awaitChallenge();
            ObjectNode params = ProtocolClient.connectParams(TestGateway.TOKEN).put("pad", "x".repeat(65 * 1024));
            c.sendRaw(JSON.createObjectNode().put("type", "req").put("id", "big").put("method", "connect")
                    .<ObjectNode>set("params", params).toString());
            JsonNode reply = c.nextEvent(CLOSE);
            assertThat(reply).as("an error reply before the close").isNotNull();
            JsonNode e = err(reply, "INVALID_REQUEST", null);
            assertThat(e.path("message").asText()).contains("65536");
            assertThat(c.awaitClose(CLOSE)).isIn(1008, 1009);
        }
        // Just under the limit, the same connect is fine: the cap is at 64 KiB, not lower.
        try (ProtocolClient c = open()) {
            ok(c.connectWith(ProtocolClient.connectParams(TestGateway.TOKEN).put("pad", "x".repeat(60 * 1024))));
        }
    }

    @Test
    void onlyLoopbackSameOriginAndConfiguredBrowserOriginsMayConnect() throws Exception {
        int port = gateway.port();
        for (String evil : List.of("http://evil.example", "https://ui.example.evil.example", "null",
                "http://evil.example:" + port)) {
            try (ProtocolClient c = ProtocolClient.open(gateway.webSocketUri(), Map.of("Origin", evil))) {
                err(c.connectWith(ProtocolClient.connectParams(TestGateway.TOKEN)), "INVALID_REQUEST", "ORIGIN_NOT_ALLOWED");
                assertThat(c.awaitClose(CLOSE)).as(evil).isEqualTo(1008);
            }
        }
        for (String good : List.of("http://127.0.0.1:" + port, "http://localhost:5173", "https://ui.example",
                "https://UI.example:443")) {
            try (ProtocolClient c = ProtocolClient.open(gateway.webSocketUri(), Map.of("Origin", good))) {
                ok(c.connectWith(ProtocolClient.connectParams(TestGateway.TOKEN)));
                ok(c.request("health"));
            }
        }
    }

    @Test
    void aLockedAddressIsRefusedEvenWithTheRightTokenUntilTheLockoutEnds(@TempDir Path own) throws Exception {
        try (Gateway g = ProtocolSuite.start(own, """
                {"gateway": {"auth": {"rateLimit": {"maxAttempts": 3, "windowMs": 60000, "lockoutMs": 1500}}}}""", null)) {
            // A success clears earlier failures: 2 wrong, 1 right, 2 wrong is not 3 in a row.
            attempt(g, WRONG, "AUTH_TOKEN_MISMATCH");
            attempt(g, WRONG, "AUTH_TOKEN_MISMATCH");
            attempt(g, TestGateway.TOKEN, null);
            attempt(g, WRONG, "AUTH_TOKEN_MISMATCH");
            attempt(g, WRONG, "AUTH_TOKEN_MISMATCH");
            attempt(g, TestGateway.TOKEN, null);
            // Three failures lock the address.
            for (int i = 0; i < 3; i++) {
                attempt(g, WRONG, "AUTH_TOKEN_MISMATCH");
            }
            JsonNode e;
            try (ProtocolClient c = ProtocolClient.open(g.webSocketUri())) {
                e = err(c.sendConnect(TestGateway.TOKEN), "INVALID_REQUEST", "AUTH_RATE_LIMITED");
                assertThat(c.awaitClose(CLOSE)).isEqualTo(1008);
            }
            assertThat(e.path("retryable").asBoolean()).isTrue();
            long retryAfter = e.path("retryAfterMs").asLong();
            assertThat(retryAfter).isBetween(1L, 1500L);
            attempt(g, WRONG, "AUTH_RATE_LIMITED"); // still locked; failures while locked are not even compared
            Thread.sleep(retryAfter + 200);
            attempt(g, TestGateway.TOKEN, null);
        }
    }

    private static void attempt(Gateway g, String token, String refusal) throws Exception {
        try (ProtocolClient c = ProtocolClient.open(g.webSocketUri())) {
            JsonNode res = c.sendConnect(token);
            if (refusal == null) {
                ok(res);
            } else {
                err(res, "INVALID_REQUEST", refusal);
                assertThat(c.awaitClose(CLOSE)).isEqualTo(1008);
            }
        }
    }

    @Test
    void ticksArriveAtTheConfiguredIntervalWithIncreasingSeq() throws Exception {
        try (ProtocolClient c = ProtocolSuite.client(gateway)) {
            List<JsonNode> ticks = new ArrayList<>();
            while (ticks.size() < 2) {
                c.eventsUntil(e -> isEvent(e, "tick"), Duration.ofSeconds(3)).stream()
                        .filter(e -> isEvent(e, "tick")).forEach(ticks::add);
            }
            assertThat(ticks.get(1).path("seq").asLong()).isGreaterThan(ticks.get(0).path("seq").asLong());
            long gap = ticks.get(1).path("payload").path("ts").asLong() - ticks.get(0).path("payload").path("ts").asLong();
            assertThat(gap).isBetween(700L, 2500L);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }
}
