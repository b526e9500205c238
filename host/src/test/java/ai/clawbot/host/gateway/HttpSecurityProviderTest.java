package ai.clawbot.host.gateway;

import static ai.clawbot.host.gateway.OpenAiCompatibleChatCompletionsTest.assertOpenAiError;
import static ai.clawbot.host.gateway.OpenAiCompatibleChatCompletionsTest.auth;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.auth.AuthRateLimiter;
import ai.clawbot.host.gateway.auth.GatewayTokenProvider;
import ai.clawbot.host.gateway.auth.TokenGate;
import ai.clawbot.host.observe.GatewayMetrics;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.security.AuthenticationResponse;
import io.helidon.security.Security;
import io.helidon.security.SecurityEnvironment;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP endpoints' auth through the one Helidon Security provider: the provider itself under Helidon Security,
 * path variants that must not slip past the guard, and one lockout across the WebSocket and HTTP doors.
 */
class HttpSecurityProviderTest {

    private static final String WRONG = "wrong-token-Yp3mQ8xR";

    @TempDir
    static Path dir;
    static Gateway gateway;
    static GatewayHttp http;

    @BeforeAll
    static void start() throws Exception {
        GatewayHttp.writeConfig(dir, "{\"gateway\":{\"http\":{\"endpoints\":{\"chatCompletions\":{\"enabled\":true}}},"
                + "\"auth\":{\"rateLimit\":{\"maxAttempts\":100,\"windowMs\":60000,\"lockoutMs\":60000}}}}");
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
    void theProviderAuthenticatesTheBearerUnderHelidonSecurityAndSharesTheLockout() throws Exception {
        GatewayMetrics metrics = GatewayMetrics.create("test");
        AuthRateLimiter limiter = AuthRateLimiter.create(new AuthRateLimiter.Settings(2, Duration.ofMinutes(1),
                Duration.ofMinutes(5), false), Clock.systemUTC());
        TokenGate gate = TokenGate.create("s3cret-token"::equals, limiter);
        Security security = Security.builder()
                .addAuthenticationProvider(GatewayTokenProvider.create(gate, metrics), "gateway-token").build();
        InetAddress peer = InetAddress.getByName("192.0.2.7");

        AuthenticationResponse ok = authenticate(security, peer, "Bearer s3cret-token");
        assertThat(ok.status().isSuccess()).isTrue();
        assertThat(ok.user()).hasValueSatisfying(u -> assertThat(u.principal().getName()).isEqualTo("operator"));

        AuthenticationResponse wrong = authenticate(security, peer, "Bearer nope");
        assertThat(wrong.status().isSuccess()).isFalse();
        assertThat(wrong.statusCode()).hasValue(401);
        assertThat(wrong.responseHeaders()).containsEntry("WWW-Authenticate", List.of("Bearer"));
        assertThat(authenticate(security, peer, null).statusCode()).hasValue(401);

        // Two failures lock the address: the provider and the WebSocket door (same gate) both refuse it now.
        AuthenticationResponse locked = authenticate(security, peer, "Bearer s3cret-token");
        assertThat(locked.statusCode()).hasValue(429);
        assertThat(locked.responseHeaders()).containsKey("Retry-After");
        assertThat(gate.check(peer, "s3cret-token", false)).isInstanceOf(TokenGate.Decision.Locked.class);
        assertThat(GatewayHttp.sample(metrics.scrape(), "clawbot_auth_failures_total", "reason", "http_bearer")).isEqualTo(2);
        // Another address is not affected.
        assertThat(authenticate(security, InetAddress.getByName("192.0.2.8"), "Bearer s3cret-token").status().isSuccess()).isTrue();
    }

    @Test
    void pathVariantsDoNotSlipPastTheGuard() throws Exception {
        for (String path : List.of("/v1/models/", "/v1//models", "/v1/./models", "/v1/x/../models", "/v1/%6dodels",
                "/v1/models?x=1", "/v1/models;x=1", "/v1/chat/completions/", "/v1/", "/v1")) {
            HttpResponse<String> r = http.get(path);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isNotEqualTo(200);
            assertThat(r.body()).as(path).doesNotContain("clawbot/default");
        }
        HttpResponse<String> ok = http.get("/v1/models", auth(TestGateway.TOKEN));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).contains("clawbot/default");
    }

    /** Failures through the WebSocket door lock the HTTP door too (the reverse is in the /v1 tests). */
    @Test
    void webSocketFailuresLockTheHttpDoor(@TempDir Path own) throws Exception {
        GatewayHttp.writeConfig(own, "{\"gateway\":{\"http\":{\"endpoints\":{\"chatCompletions\":{\"enabled\":true}}},"
                + "\"auth\":{\"rateLimit\":{\"maxAttempts\":3,\"windowMs\":60000,\"lockoutMs\":60000}}}}");
        try (Gateway g = TestGateway.start(own, SandboxObserver.NONE)) {
            GatewayHttp h = GatewayHttp.on(g.port());
            for (int i = 1; i <= 3; i++) {
                try (ProtocolClient c = ProtocolClient.open(g.webSocketUri())) {
                    JsonNode refused = c.sendConnect(WRONG + i);
                    assertThat(refused.path("error").path("details").path("code").asText()).isEqualTo("AUTH_TOKEN_MISMATCH");
                }
            }
            HttpResponse<String> r = h.get("/v1/models", auth(TestGateway.TOKEN));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
            assertOpenAiError(r, "rate_limited", "invalid_request_error");
            assertThat(r.headers().firstValue("retry-after")).isPresent();
        }
    }

    private static AuthenticationResponse authenticate(Security security, InetAddress peer, String authorization) {
        SecurityEnvironment.Builder env = SecurityEnvironment.builder().path("/v1/models").method("GET")
                .addAttribute(GatewayTokenProvider.PEER, peer);
        if (authorization != null) {
            env.header("Authorization", authorization);
        }
        return security.contextBuilder("test").env(env.build()).build().atnClientBuilder().submit();
    }
}
