package ai.clawbot.host.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /mcp} is the gateway's, guarded like its other HTTP endpoints: served only when enabled, the gateway token as
 * bearer, and failed attempts count towards the lockout shared with the WebSocket handshake. No sandbox is needed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class McpEndpointAuthTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

    @Test
    void offByDefaultThenBearerOnlyAndWrongTokensLockOutEveryDoor() throws Exception {
        Path state = Files.createTempDirectory("claw-mcp-auth");
        Files.writeString(state.resolve("openclaw.json"), """
                {"gateway": {"auth": {"rateLimit": {"maxAttempts": 2, "windowMs": 60000, "lockoutMs": 300000}}}}
                """);
        HttpClient http = HttpClient.newHttpClient();
        try (Gateway gateway = TestGateway.start(state, new SandboxObserver() {
        })) {
            URI mcp = URI.create("http://127.0.0.1:" + gateway.webSocketUri().getPort() + "/mcp");
            HttpResponse<String> off = post(http, mcp, TestGateway.TOKEN);
            assertThat(off.statusCode()).isEqualTo(404);
            assertThat(off.body()).contains("gateway.http.endpoints.mcp.enabled");

            try (ProtocolClient op = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
                String hash = op.request("config.get").at("/payload/hash").asText();
                JsonNode patched = op.request("config.patch", ProtocolClient.params().put("baseHash", hash)
                        .set("patch", JSON.readTree("{\"gateway\":{\"http\":{\"endpoints\":{\"mcp\":{\"enabled\":true}}}}}")));
                assertThat(patched.path("ok").asBoolean()).as(patched.toString()).isTrue();
            }
            McpSyncClient client = McpEndpointTest.client(gateway, TestGateway.TOKEN);
            assertThat(client.initialize().serverInfo().name()).isEqualTo("clawbot-gateway");
            client.closeGracefully();
            assertThat(post(http, mcp, null).statusCode()).isEqualTo(401);
            HttpResponse<String> wrong = post(http, mcp, "not-the-token");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).doesNotContain(TestGateway.TOKEN);

            HttpResponse<String> locked = post(http, mcp, TestGateway.TOKEN);
            assertThat(locked.statusCode()).isEqualTo(429);
            assertThat(locked.headers().firstValue("Retry-After")).isPresent();
            try (ProtocolClient ws = ProtocolClient.open(gateway.webSocketUri())) {
                JsonNode refused = ws.sendConnect(TestGateway.TOKEN);
                assertThat(refused.toString()).contains("AUTH_RATE_LIMITED");
            }
        } finally {
            TestGateway.deleteTree(state);
        }
    }

    /** A request for one agent never reaches another agent's session, nor a malformed or overlong one. */
    @Test
    void theSessionKeyHeaderMustNameASessionOfTheRequestsAgent() throws Exception {
        Path state = Files.createTempDirectory("claw-mcp-session");
        Files.writeString(state.resolve("openclaw.json"), """
                {"gateway": {"http": {"endpoints": {"mcp": {"enabled": true}}}},
                 "agents": {"list": [{"id": "ops", "default": true}, {"id": "coder"}]}}
                """);
        HttpClient http = HttpClient.newHttpClient();
        try (Gateway gateway = TestGateway.start(state, new SandboxObserver() {
        })) {
            URI mcp = URI.create("http://127.0.0.1:" + gateway.webSocketUri().getPort() + "/mcp");
            assertThat(post(http, mcp, TestGateway.TOKEN, "room").statusCode()).isEqualTo(200);
            assertThat(post(http, mcp, TestGateway.TOKEN, "agent:ops:room").statusCode()).isEqualTo(200);
            HttpResponse<String> other = post(http, mcp, TestGateway.TOKEN, "agent:coder:main");
            assertThat(other.statusCode()).isEqualTo(400);
            assertThat(other.body()).contains("belongs to agent 'coder', not to 'ops'");
            assertThat(post(http, mcp, TestGateway.TOKEN, "agent:ops:").statusCode()).isEqualTo(400);
            HttpResponse<String> long_ = post(http, mcp, TestGateway.TOKEN, "x".repeat(200));
            assertThat(long_.statusCode()).isEqualTo(400);
            assertThat(long_.body()).contains("over 200 characters");
        } finally {
            TestGateway.deleteTree(state);
        }
    }

    private static HttpResponse<String> post(HttpClient http, URI uri, String token) throws Exception {
        return post(http, uri, token, null);
    }

    private static HttpResponse<String> post(HttpClient http, URI uri, String token, String sessionKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(INIT));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (sessionKey != null) {
            b.header("x-clawbot-session-key", sessionKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
