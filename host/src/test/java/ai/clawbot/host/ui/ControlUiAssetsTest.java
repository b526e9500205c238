package ai.clawbot.host.ui;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Control UI's files over plain HTTP (no browser): every file of {@code /web} is served from the jar with its
 * content type and the security headers, revalidates by ETag, and nothing else is; the page and its scripts hold no
 * inline code the CSP would have to allow, and never build HTML from strings.
 */
class ControlUiAssetsTest {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static Path state;
    private static Gateway gateway;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        state = Files.createTempDirectory("claw-ui-assets");
        gateway = TestGateway.start(state, SandboxObserver.NONE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        TestGateway.deleteTree(state);
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The files of the UI as built into the classpath (target/classes/web). */
    private static List<String> webFiles() throws Exception {
        Path web = Path.of(ControlUiAssetsTest.class.getResource("/web/index.html").toURI()).getParent();
        try (Stream<Path> s = Files.list(web)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertUiHeaders(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("content-security-policy")).hasValue(CSP);
        assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("x-frame-options")).hasValue("DENY");
        assertThat(r.headers().firstValue("referrer-policy")).hasValue("no-referrer");
    }

    @Test
    void everyFileIsServedWithItsTypeTheSecurityHeadersAndAnEtag() throws Exception {
        List<String> files = webFiles();
        assertThat(files).contains("index.html", "app.js", "app.css", "gateway.js", "chat.js", "sessions.js", "agents.js",
                "skills.js", "approvals.js", "logs.js", "config.js");
        for (String f : files) {
            String path = f.equals("index.html") ? "/" : "/" + f;
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            String type = f.endsWith(".html") ? "text/html" : f.endsWith(".js") ? "text/javascript" : "text/css";
            assertThat(r.headers().firstValue("content-type")).as(path).hasValue(type + "; charset=utf-8");
            assertThat(r.headers().firstValue("cache-control")).as(path).hasValue("no-cache");
            assertUiHeaders(r);
            String etag = r.headers().firstValue("etag").orElseThrow();
            HttpResponse<String> again = get(path, "If-None-Match", etag);
            assertThat(again.statusCode()).as(path + " revalidated").isEqualTo(304);
            assertThat(again.body()).isEmpty();
            assertThat(get(path, "If-None-Match", "\"stale\"").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void everyScriptAndStylesheetThePageLoadsIsServed() throws Exception {
        List<String> refs = new ArrayList<>();
        Matcher html = Pattern.compile("(?:src|href)=\"(/[^\"]*)\"").matcher(get("/").body());
        while (html.find()) {
            refs.add(html.group(1));
        }
        for (String f : webFiles()) {
            if (f.endsWith(".js")) {
                Matcher imports = Pattern.compile("from '\\./([^']+)'").matcher(get("/" + f).body());
                while (imports.find()) {
                    refs.add("/" + imports.group(1));
                }
            }
        }
        assertThat(refs).contains("/app.css", "/app.js", "/gateway.js", "/chat.js");
        for (String ref : refs) {
            assertThat(get(ref).statusCode()).as(ref).isEqualTo(200);
        }
    }

    @Test
    void otherPathsAre404WithTheSameHeadersAndTheOtherRoutesStillWork() throws Exception {
        for (String path : List.of("/nope.js", "/web/index.html", "/index.html", "/app.js/x", "/%2e%2e/pom.xml",
                "/bundled/plugins/obsidian.jar", "/ai/clawbot/host/config/openclaw.schema.json")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertUiHeaders(r);
        }
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            assertThat(c.request("health", ProtocolClient.params()).path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void thePageNeedsNoInlineCodeAndNeverParsesHtml() throws Exception {
        assertThat(CSP).doesNotContain("unsafe");
        String page = get("/").body();
        Matcher scripts = Pattern.compile("<script\\b[^>]*>").matcher(page);
        int n = 0;
        while (scripts.find()) {
            n++;
            assertThat(scripts.group()).as("every script is a file").contains("src=\"/");
        }
        assertThat(n).isEqualTo(1);
        assertThat(page).doesNotContainPattern("(?i)<style|\\sstyle=|\\son[a-z]+=|javascript:");
        for (String f : webFiles()) {
            if (f.endsWith(".js")) {
                String js = get("/" + f).body();
                assertThat(js).as(f).doesNotContainPattern("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\(|new Function")
                        .as(f + " keeps the token for the tab only").doesNotContain("localStorage");
            }
        }
    }
}
