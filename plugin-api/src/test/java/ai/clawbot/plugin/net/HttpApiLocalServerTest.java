package ai.clawbot.plugin.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.plugin.api.ToolException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@link HttpApi} against a real local HTTP server (the JDK's), direct and as the sandbox's egress proxy. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpApiLocalServerTest {

    private static final String KEY = "sk-test-0123456789abcdef";
    private static final Pattern SK = Pattern.compile("(?<=sk-)[A-Za-z0-9_*-]{4,}");

    /** What the server was sent, one per request. */
    record Seen(String method, URI uri, String host, List<String> authorization, List<String> googKey, String body) {
    }

    private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private String base;

    @BeforeAll
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::answer);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @AfterAll
    void stop() {
        release.countDown();
        server.stop(0);
    }

    @BeforeEach
    void forget() {
        seen.clear();
    }

    private void answer(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(new Seen(x.getRequestMethod(), x.getRequestURI(), x.getRequestHeaders().getFirst("Host"),
                x.getRequestHeaders().getOrDefault("Authorization", List.of()),
                x.getRequestHeaders().getOrDefault("x-goog-api-key", List.of()), body));
        String path = x.getRequestURI().getPath();
        switch (path) {
            case "/v1/ok" -> send(x, 200, "{\"answer\": 42}");
            case "/v1/text" -> send(x, 200, "plain words");
            case "/v1/refused" -> send(x, 401, "{\"error\": {\"message\": \"Incorrect API key provided:\\n  " + KEY
                    + ". Your key ends in ..." + KEY.substring(KEY.length() - 4) + "; another is sk-other-key-9999\"}}");
            case "/v1/long" -> send(x, 500, "line one\n" + "x".repeat(1000));
            case "/v1/moved" -> {
                x.getResponseHeaders().add("Location", base + "/ok");
                send(x, 302, "");
            }
            case "/v1/slow" -> {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                send(x, 200, "{}");
            }
            default -> send(x, 404, "no such path " + path);
        }
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (var out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static HttpApi api(Map<String, String> env, HttpApi.KeyHeader header) {
        return HttpApi.create("the test API", header, env, Duration.ofSeconds(5), SK);
    }

    @Test
    void sendsTheKeyOnlyInItsHeaderAndReturnsTheAnswer() throws Exception {
        HttpApi.Answer bearer = api(Map.of(), HttpApi.KeyHeader.bearer())
                .send(HttpRequest.newBuilder(HttpApi.uri(base, "/ok")).POST(HttpRequest.BodyPublishers.ofString("q")), KEY);
        assertThat(bearer.ok()).isTrue();
        assertThat(bearer.json()).hasValueSatisfying(j -> assertThat(j.path("answer").asInt()).isEqualTo(42));
        Seen s = seen.take();
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.body()).isEqualTo("q");
        assertThat(s.authorization()).containsExactly("Bearer " + KEY);
        assertThat(s.uri().toString()).doesNotContain(KEY);

        api(Map.of(), HttpApi.KeyHeader.named("x-goog-api-key")).send(HttpRequest.newBuilder(HttpApi.uri(base, "/ok")), KEY);
        Seen g = seen.take();
        assertThat(g.method()).isEqualTo("GET");
        assertThat(g.googKey()).containsExactly(KEY);
        assertThat(g.authorization()).isEmpty();
    }

    @Test
    void goesThroughTheProxyTheSandboxNames() throws Exception {
        // The API's host does not resolve: only the proxy (this server) can carry the request.
        Map<String, String> env = Map.of("HTTP_PROXY", "http://127.0.0.1:" + server.getAddress().getPort());
        HttpApi.Answer a = api(env, HttpApi.KeyHeader.bearer())
                .send(HttpRequest.newBuilder(HttpApi.uri("http://api.example.invalid/v1/", "/ok")), KEY);
        assertThat(a.status()).isEqualTo(200);
        Seen s = seen.take();
        assertThat(s.uri()).as("absolute-form request, as to a proxy").isEqualTo(URI.create("http://api.example.invalid/v1/ok"));
        assertThat(s.host()).isEqualTo("api.example.invalid");
    }

    @Test
    void aRefusalComesBackWithTheApisMessageScrubbed() throws Exception {
        HttpApi api = api(Map.of(), HttpApi.KeyHeader.bearer());
        HttpApi.Answer a = api.send(HttpRequest.newBuilder(HttpApi.uri(base, "/refused")), KEY);
        assertThat(a.ok()).isFalse();
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.errorMessage()).startsWith("Incorrect API key provided:").contains(KEY);
        String detail = api.detail(a, KEY);
        assertThat(detail).isEqualTo("Incorrect API key provided: ***. Your key ends in ...****; another is sk-***");
    }

    @Test
    void aDetailIsOneCappedLine() throws Exception {
        HttpApi api = api(Map.of(), HttpApi.KeyHeader.bearer());
        HttpApi.Answer a = api.send(HttpRequest.newBuilder(HttpApi.uri(base, "/long")), KEY);
        assertThat(a.status()).isEqualTo(500);
        assertThat(a.json()).isEmpty();
        assertThat(a.errorMessage()).as("not JSON: the body").startsWith("line one\nxxx");
        String detail = api.detail(a, KEY);
        assertThat(detail).doesNotContain("\n").startsWith("line one xxx").endsWith("…").hasSize(301);
    }

    @Test
    void aRedirectIsAnsweredNotFollowed() throws Exception {
        HttpApi.Answer a = api(Map.of(), HttpApi.KeyHeader.bearer()).send(HttpRequest.newBuilder(HttpApi.uri(base, "/moved")), KEY);
        assertThat(a.status()).isEqualTo(302);
        assertThat(seen.take().uri().getPath()).isEqualTo("/v1/moved");
        assertThat(seen.poll()).as("the key went to no second address").isNull();
    }

    @Test
    void noAnswerWithinTheDeadlineIsATimeout() {
        HttpApi api = HttpApi.create("the test API", HttpApi.KeyHeader.bearer(), Map.of(), Duration.ofMillis(300));
        assertThatThrownBy(() -> api.send(HttpRequest.newBuilder(HttpApi.uri(base, "/slow")), KEY))
                .isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.code()).isEqualTo("TIMEOUT");
                    assertThat(e.getMessage()).isEqualTo("the test API did not answer within 0 s");
                });
    }

    @Test
    void noServerIsUnreachableWithoutTheKey() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        HttpApi api = api(Map.of(), HttpApi.KeyHeader.bearer());
        assertThatThrownBy(() -> api.send(HttpRequest.newBuilder(HttpApi.uri("http://127.0.0.1:" + closed, "/" + KEY)), KEY))
                .isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.code()).isEqualTo("UNREACHABLE");
                    assertThat(e.getMessage()).startsWith("cannot reach the test API").doesNotContain(KEY);
                });
    }

    @Test
    void aBaseUrlLosesItsBlanksAndTrailingSlashes() {
        assertThat(HttpApi.uri(" https://api.openai.com/v1// ", "/audio/transcriptions"))
                .isEqualTo(URI.create("https://api.openai.com/v1/audio/transcriptions"));
        assertThat(HttpApi.uri("https://api.openai.com/v1", "/models")).isEqualTo(URI.create("https://api.openai.com/v1/models"));
    }
}
