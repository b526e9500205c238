package ai.clawbot.host.gateway;

import static ai.clawbot.host.gateway.GatewayHttp.echoReply;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/chat/completions} speaking OpenAI's wire format: the {@code chat.completion} object, SSE
 * {@code chat.completion.chunk}s ending in {@code data: [DONE]}, and OpenAI-shaped errors
 * ({@code {"error":{message,type,code}}}). Runs go through the same sessions as the WebSocket protocol, checked
 * with {@code chat.history}. The off-by-default and lockout cases use gateways of their own.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenAiCompatibleChatCompletionsTest {

    static final String PATH = "/v1/chat/completions";
    static final String ENABLED = "{\"gateway\":{\"http\":{\"endpoints\":{\"chatCompletions\":{\"enabled\":true}}},"
            + "\"auth\":{\"rateLimit\":{\"maxAttempts\":1000}}}}";
    static final String WRONG_TOKEN = "wrong-token-" + "Hq3nB8tY5rL1";

    @TempDir
    static Path dir;
    static Gateway gateway;
    static GatewayHttp http;
    static ProtocolClient ws;

    @BeforeAll
    static void start() throws Exception {
        GatewayHttp.writeConfig(dir, ENABLED);
        gateway = TestGateway.start(dir, Gateway.Options.defaults().engine(GatewayHttp::echoEngine));
        http = GatewayHttp.on(gateway.port());
        ws = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN);
    }

    @AfterAll
    static void stop() {
        if (ws != null) {
            ws.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void modelsListsTheAgentsAsOpenAiModelsBehindTheBearer() throws Exception {
        HttpResponse<String> r = http.get("/v1/models", auth(TestGateway.TOKEN));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode list = GatewayHttp.JSON.readTree(r.body());
        assertThat(list.path("object").asText()).isEqualTo("list");
        assertThat(list.path("data").findValuesAsText("id"))
                .containsExactlyInAnyOrder("clawbot/default", "clawbot/coder", "clawbot/researcher");
        assertThat(list.path("data").findValuesAsText("object")).containsOnly("model");
        // The id a client reads here is one it can send to /v1/chat/completions.
        HttpResponse<String> chat = http.post(PATH, body(list.at("/data/0/id").asText(), "hi", null), json());
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);

        HttpResponse<String> anonymous = http.get("/v1/models");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("clawbot/coder");
    }

    @Test
    void offByDefaultWithAnOpenAiShapedNotFound(@TempDir Path fresh) throws Exception {
        try (Gateway off = TestGateway.start(fresh, SandboxObserver.NONE)) {
            GatewayHttp offHttp = GatewayHttp.on(off.port());
            for (String[] headers : List.of(auth(TestGateway.TOKEN), new String[] {"Content-Type", "application/json"})) {
                HttpResponse<String> r = offHttp.post(PATH, body("clawbot/default", "hello", null), headers);
                assertThat(r.statusCode()).isEqualTo(404);
                assertOpenAiError(r, "endpoint_disabled", "invalid_request_error");
                assertThat(r.body()).contains("chatCompletions.enabled");
            }
            assertThat(offHttp.get("/v1/models", auth(TestGateway.TOKEN)).statusCode()).isEqualTo(404);
        }
    }

    /** Bearer failures share the lockout with WebSocket auth: after maxAttempts even the right token waits. */
    @Test
    void repeatedBearerFailuresLockTheCallerOutWith429AndRetryAfter(@TempDir Path limited) throws Exception {
        GatewayHttp.writeConfig(limited, "{\"gateway\":{\"http\":{\"endpoints\":{\"chatCompletions\":{\"enabled\":true}}},"
                + "\"auth\":{\"rateLimit\":{\"maxAttempts\":3,\"windowMs\":60000,\"lockoutMs\":60000}}}}");
        // The default (offline) engine here: a fresh install answers with its notice, over this API too.
        try (Gateway g = TestGateway.start(limited, SandboxObserver.NONE)) {
            GatewayHttp h = GatewayHttp.on(g.port());
            String reply = content(h.post(PATH, body("clawbot/default", "ping", null), json()));
            assertThat(reply).startsWith("No model provider is configured").contains("/obsidian search_content");
            for (int i = 1; i <= 3; i++) {
                HttpResponse<String> r = h.post(PATH, body("clawbot/default", "guess " + i, null), auth(WRONG_TOKEN + i));
                assertThat(r.statusCode()).as("attempt " + i).isEqualTo(401);
            }
            for (String token : List.of(WRONG_TOKEN, TestGateway.TOKEN)) {
                HttpResponse<String> r = h.post(PATH, body("clawbot/default", "again", null), auth(token));
                assertThat(r.statusCode()).isEqualTo(429);
                assertOpenAiError(r, "rate_limited", "invalid_request_error");
                assertThat(r.headers().firstValue("retry-after")).hasValueSatisfying(v ->
                        assertThat(Long.parseLong(v)).isBetween(1L, 60L));
                assertThat(r.body()).doesNotContain(WRONG_TOKEN).doesNotContain(TestGateway.TOKEN);
            }
            try (ProtocolClient locked = ProtocolClient.open(g.webSocketUri())) {
                JsonNode refused = locked.sendConnect(TestGateway.TOKEN);
                assertThat(refused.path("error").path("details").path("code").asText()).isEqualTo("AUTH_RATE_LIMITED");
            }
        }
    }

    @Test
    void missingOrWrongBearerIs401AndNeverEchoesATokenButIsCounted() throws Exception {
        double before = GatewayHttp.sample(http.get("/metrics").body(), "clawbot_auth_failures_total", "reason", "http_bearer");
        List<String[]> bad = List.of(new String[] {"Content-Type", "application/json"}, auth(WRONG_TOKEN),
                auth(TestGateway.TOKEN + "x"), auth(TestGateway.TOKEN.substring(0, TestGateway.TOKEN.length() - 1)),
                new String[] {"Authorization", "Basic " + TestGateway.TOKEN}, new String[] {"Authorization", TestGateway.TOKEN});
        for (String[] headers : bad) {
            HttpResponse<String> r = http.post(PATH, body("clawbot/default", "let me in", null), headers);
            assertThat(r.statusCode()).as(Arrays.toString(headers)).isEqualTo(401);
            assertThat(r.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertOpenAiError(r, "invalid_api_key", "invalid_request_error");
            assertThat(r.body()).doesNotContain(TestGateway.TOKEN.substring(0, 12)).doesNotContain(WRONG_TOKEN);
        }
        String metrics = http.get("/metrics").body();
        assertThat(GatewayHttp.sample(metrics, "clawbot_auth_failures_total", "reason", "http_bearer") - before)
                .isEqualTo(bad.size());
        assertThat(metrics).doesNotContain(TestGateway.TOKEN).doesNotContain(WRONG_TOKEN);
    }

    @Test
    void malformedRequestsAreOpenAiShaped400s() throws Exception {
        record Bad(String body, String code) {
        }
        List<Bad> cases = List.of(new Bad("{\"model\": \"clawbot/default\", \"messages\": [", "invalid_json"),
                new Bad("not json at all", "invalid_json"),
                new Bad("[1,2,3]", "invalid_request"),
                new Bad("{\"model\":\"clawbot/default\"}", "invalid_request"),
                new Bad("{\"model\":\"clawbot/default\",\"messages\":[{\"role\":\"system\",\"content\":\"only system\"}]}",
                        "invalid_request"),
                new Bad("{\"model\":\"clawbot/default\",\"messages\":[{\"role\":\"user\",\"content\":\"   \"}]}", "invalid_request"),
                new Bad("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model_not_found"),
                new Bad("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model_not_found"));
        for (Bad c : cases) {
            HttpResponse<String> r = http.post(PATH, c.body(), json());
            assertThat(r.statusCode()).as(c.body()).isEqualTo(400);
            assertOpenAiError(r, c.code(), "invalid_request_error");
        }
        HttpResponse<String> noAgent = http.post(PATH, body("clawbot/nosuch", "hi", null), json());
        assertThat(noAgent.statusCode()).isEqualTo(404);
        assertOpenAiError(noAgent, "model_not_found", "invalid_request_error");
        assertThat(noAgent.body()).contains("nosuch");
    }

    @Test
    void aCompletionIsTheAgentsReplyAsAChatCompletionObject() throws Exception {
        HttpResponse<String> r = http.post(PATH, body("clawbot/default", "what is 2+2?", null), json());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode c = GatewayHttp.json(r);
        assertThat(c.path("object").asText()).isEqualTo("chat.completion");
        assertThat(c.path("id").asText()).startsWith("chatcmpl-");
        assertThat(c.path("created").isIntegralNumber()).isTrue();
        assertThat(c.path("model").asText()).isEqualTo("clawbot/default");
        assertThat(c.path("choices")).hasSize(1);
        JsonNode choice = c.path("choices").get(0);
        assertThat(choice.path("index").asInt(-1)).isZero();
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo(echoReply(0, "what is 2+2?"));
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(c.path("usage").path("total_tokens").isNumber()).isTrue();
        for (String alias : List.of("clawbot", "openclaw", "openclaw/default")) { // the default agent's other names
            HttpResponse<String> a = http.post(PATH, body(alias, "alias " + alias, null), json());
            assertThat(content(a)).isEqualTo(echoReply(0, "alias " + alias));
            assertThat(GatewayHttp.json(a).path("model").asText()).isEqualTo(alias);
        }
    }

    @Test
    void theUserFieldPicksOneSessionAcrossRequestsVisibleToChatHistory() throws Exception {
        ObjectNode first = (ObjectNode) GatewayHttp.JSON.readTree(body("clawbot/default", "first", "alice"));
        // OpenAI clients resend the conversation; the gateway takes the last user message only.
        ArrayNode convo = first.putArray("messages");
        convo.addObject().put("role", "system").put("content", "be brief");
        convo.addObject().put("role", "user").put("content", "first");
        assertThat(content(http.post(PATH, first.toString(), json()))).isEqualTo(echoReply(0, "first"));
        convo.addObject().put("role", "assistant").put("content", echoReply(0, "first"));
        ArrayNode parts = convo.addObject().put("role", "user").putArray("content");
        parts.addObject().put("type", "text").put("text", "sec");
        parts.addObject().put("type", "image_url").putObject("image_url").put("url", "http://example.invalid/x.png");
        parts.addObject().put("type", "text").put("text", "ond");
        // The second turn saw the first two transcript entries: the session carried over.
        assertThat(content(http.post(PATH, first.toString(), json()))).isEqualTo(echoReply(2, "second"));

        JsonNode history = ws.request("chat.history", ProtocolClient.params().put("sessionKey", "openai:alice"));
        assertThat(history.path("ok").asBoolean()).as(history.toString()).isTrue();
        assertThat(history.path("payload").path("sessionKey").asText()).isEqualTo("agent:default:openai:alice");
        assertThat(transcript(history)).containsExactly("user: first", "assistant: " + echoReply(0, "first"),
                "user: second", "assistant: " + echoReply(2, "second"));
    }

    @Test
    void theSessionKeyHeaderPicksTheSessionAndNoKeyMeansAFreshSessionEachTime() throws Exception {
        HttpResponse<String> r = http.post(PATH, body("clawbot/default", "via header", "ignored-user"),
                "Authorization", "Bearer " + TestGateway.TOKEN, "Content-Type", "application/json",
                "x-clawbot-session-key", "http-room");
        assertThat(content(r)).isEqualTo(echoReply(0, "via header"));
        JsonNode history = ws.request("chat.history", ProtocolClient.params().put("sessionKey", "http-room"));
        assertThat(transcript(history)).containsExactly("user: via header", "assistant: " + echoReply(0, "via header"));
        JsonNode other = ws.request("chat.history", ProtocolClient.params().put("sessionKey", "openai:ignored-user"));
        assertThat(other.path("payload").path("messages")).isEmpty();

        int before = openAiSessions();
        for (int i = 0; i < 2; i++) { // history size 0 each time: nothing carried over
            assertThat(content(http.post(PATH, body("clawbot/default", "anon", null), json()))).isEqualTo(echoReply(0, "anon"));
        }
        assertThat(openAiSessions()).isEqualTo(before + 2);
    }

    /** A completion for one agent never runs in another agent's session: the header naming one is refused, nothing runs. */
    @Test
    void aSessionKeyOfAnotherAgentIsRefusedAndNothingRuns() throws Exception {
        HttpResponse<String> r = http.post(PATH, body("clawbot/default", "into coder's session", null),
                "Authorization", "Bearer " + TestGateway.TOKEN, "Content-Type", "application/json",
                "x-openclaw-session-key", "agent:coder:main");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertOpenAiError(r, "invalid_session_key", "invalid_request_error");
        assertThat(r.body()).contains("belongs to agent 'coder'");
        JsonNode history = ws.request("chat.history", ProtocolClient.params().put("sessionKey", "agent:coder:main"));
        assertThat(history.path("payload").path("messages")).isEmpty();
    }

    @Test
    void streamingSendsChunksWhoseDeltasConcatenateToTheReplyThenDone() throws Exception {
        ObjectNode req = (ObjectNode) GatewayHttp.JSON.readTree(body("clawbot/default", "stream this please", "streamer"));
        req.put("stream", true);
        HttpResponse<String> r = http.post(PATH, req.toString(), json());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        List<String> data = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (!line.isEmpty()) {
                assertThat(line).as("every SSE line is a data line").startsWith("data: ");
                data.add(line.substring(6));
            }
        }
        assertThat(data).last().isEqualTo("[DONE]");
        List<JsonNode> chunks = new ArrayList<>();
        for (String d : data.subList(0, data.size() - 1)) {
            chunks.add(GatewayHttp.JSON.readTree(d));
        }
        StringBuilder text = new StringBuilder();
        int contentChunks = 0;
        for (JsonNode c : chunks) {
            assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.path("id").asText()).isEqualTo(chunks.get(0).path("id").asText()).startsWith("chatcmpl-");
            assertThat(c.path("model").asText()).isEqualTo("clawbot/default");
            JsonNode delta = c.path("choices").get(0).path("delta");
            if (delta.has("content")) {
                text.append(delta.get("content").asText());
                contentChunks++;
            }
        }
        String expected = echoReply(0, "stream this please");
        assertThat(chunks.get(0).path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
        assertThat(text.toString()).isEqualTo(expected);
        assertThat(contentChunks).isGreaterThan(1);
        assertThat(chunks.get(chunks.size() - 1).path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");

        JsonNode history = ws.request("chat.history", ProtocolClient.params().put("sessionKey", "openai:streamer"));
        assertThat(transcript(history)).containsExactly("user: stream this please", "assistant: " + expected);
    }

    @Test
    void aBodyOver4MiBIs413AndAnOverlongMessage400() throws Exception {
        int max = 4 * 1024 * 1024;
        String prefix = "{\"model\":\"clawbot/default\",\"messages\":[{\"role\":\"user\",\"content\":\"";
        byte[] big = (prefix + "a".repeat(max + 1024 - prefix.length()) + "\"}]}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = http.post(PATH, big, json());
        assertThat(r.statusCode()).isEqualTo(413);
        assertOpenAiError(r, "body_too_large", "invalid_request_error");

        // Under the body cap but over the per-message cap: refused, nothing stored.
        HttpResponse<String> longMsg = http.post(PATH, body("clawbot/default", "b".repeat(300_000), "too-long"), json());
        assertThat(longMsg.statusCode()).isEqualTo(400);
        assertOpenAiError(longMsg, "message_too_long", "invalid_request_error");
        JsonNode history = ws.request("chat.history", ProtocolClient.params().put("sessionKey", "openai:too-long"));
        assertThat(history.path("payload").path("messages")).isEmpty();
        assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
    }

    static String[] auth(String token) {
        return new String[] {"Authorization", "Bearer " + token, "Content-Type", "application/json"};
    }

    static String[] json() {
        return auth(TestGateway.TOKEN);
    }

    static String body(String model, String message, String user) {
        ObjectNode b = GatewayHttp.JSON.createObjectNode().put("model", model);
        b.putArray("messages").addObject().put("role", "user").put("content", message);
        if (user != null) {
            b.put("user", user);
        }
        return b.toString();
    }

    static void assertOpenAiError(HttpResponse<String> r, String code, String type) throws Exception {
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode e = GatewayHttp.json(r).path("error");
        assertThat(e.isObject()).as(r.body()).isTrue();
        assertThat(e.path("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(e.path("type").asText()).as(r.body()).isEqualTo(type);
        assertThat(e.path("message").asText()).isNotBlank();
    }

    private static String content(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return GatewayHttp.json(r).path("choices").get(0).path("message").path("content").asText();
    }

    /** "role: text" per message of a chat.history answer. */
    private static List<String> transcript(JsonNode history) {
        assertThat(history.path("ok").asBoolean()).as(history.toString()).isTrue();
        List<String> out = new ArrayList<>();
        for (JsonNode m : history.path("payload").path("messages")) {
            StringBuilder t = new StringBuilder();
            m.path("content").forEach(p -> t.append(p.path("text").asText()));
            out.add(m.path("role").asText() + ": " + t);
        }
        return out;
    }

    private int openAiSessions() throws Exception {
        JsonNode list = ws.request("sessions.list", ProtocolClient.params().put("limit", 1000));
        assertThat(list.path("ok").asBoolean()).as(list.toString()).isTrue();
        int n = 0;
        for (JsonNode s : list.path("payload").path("sessions")) {
            String key = s.path("key").asText();
            if (key.startsWith("agent:default:openai:")) {
                n++;
            }
        }
        return n;
    }
}
