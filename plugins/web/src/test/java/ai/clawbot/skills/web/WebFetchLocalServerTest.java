package ai.clawbot.skills.web;

import static ai.clawbot.skills.web.LocalHttpServer.redirect;
import static ai.clawbot.skills.web.LocalHttpServer.send;
import static ai.clawbot.testkit.SkillHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.plugin.api.ToolException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ai.clawbot.testkit.HarnessCall;
import ai.clawbot.testkit.SkillHarness;

/** fetch against a real HTTP server on loopback: text, redirects, limits, and the failures a caller must see. */
class WebFetchLocalServerTest {

    private static final String PAGE = """
            <!DOCTYPE html><html><head><title>Lighthouse &amp; Harbour</title>
            <style>body { color: red }</style><script>var secret = "do not show";</script></head>
            <body><nav><a href="/">Home</a></nav>
            <h1>The lighthouse</h1><p>It was built in 1874 &mdash; of stone.</p><!-- a hidden comment -->
            <ul><li>Height: 32&nbsp;m</li><li>Range: 20 nmi &#x2192; far</li></ul>
            <p>Visit &lt;daily&gt;.</p></body></html>
            """;

    private static LocalHttpServer server;
    private static final SkillHarness TOOLS = WebTools.harness();

    @BeforeAll
    static void start() throws Exception {
        server = LocalHttpServer.start()
                .on("/page", ex -> send(ex, 200, "text/html; charset=utf-8", PAGE))
                .on("/plain", ex -> send(ex, 200, "text/plain", "just text\n  kept   as is\n"))
                .on("/json", ex -> send(ex, 200, "application/json", "{\"a\": [1, 2]}"))
                .on("/latin1", ex -> send(ex, 200, "text/plain; charset=ISO-8859-1", "café".getBytes(StandardCharsets.ISO_8859_1)))
                .on("/meta", ex -> send(ex, 200, "text/html", "<html><head><meta charset=\"windows-1252\"></head><p>na\u00efve</p></html>"
                        .getBytes(java.nio.charset.Charset.forName("windows-1252"))))
                .on("/image", ex -> send(ex, 200, "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0}))
                .on("/missing", ex -> send(ex, 404, "text/html", "<h1>Not here</h1>"))
                .on("/huge", ex -> {
                    ex.getResponseHeaders().set("Content-Type", "text/plain");
                    ex.sendResponseHeaders(200, 0); // chunked, endless as far as the client knows
                    byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                    try {
                        for (int i = 0; i < 1024; i++) { // 64 MiB unless the client hangs up
                            ex.getResponseBody().write(chunk);
                        }
                    } catch (java.io.IOException expected) {
                        // the client stopped reading at its cap
                    }
                })
                .on("/slow", ex -> {
                    ex.getResponseHeaders().set("Content-Type", "text/plain");
                    ex.sendResponseHeaders(200, 0);
                    ex.getResponseBody().write("first".getBytes(StandardCharsets.US_ASCII));
                    ex.getResponseBody().flush();
                    try {
                        Thread.sleep(10_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })
                .on("/r/", ex -> {
                    int n = Integer.parseInt(ex.getRequestURI().getPath().substring(3));
                    redirect(ex, n % 2 == 0 ? 302 : 301, n == 0 ? "/plain" : "/r/" + (n - 1)); // relative Locations
                })
                .on("/to-file", ex -> redirect(ex, 302, "file:///etc/passwd"))
                .on("/no-location", ex -> send(ex, 302, "text/plain", "moved, but not saying where"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void htmlIsReturnedAsReadableTextWithStatusContentTypeAndTitle() throws Exception {
        HarnessCall r = TOOLS.call("fetch", args("url", server.url("/page")));
        JsonNode s = r.structured();
        assertThat(s.path("status").asInt()).isEqualTo(200);
        assertThat(s.path("contentType").asText()).isEqualTo("text/html; charset=utf-8");
        assertThat(s.path("kind").asText()).isEqualTo("html");
        assertThat(s.path("title").asText()).isEqualTo("Lighthouse & Harbour");
        assertThat(s.path("text").asText()).isEqualTo(
                "Home\n\nThe lighthouse\n\nIt was built in 1874 — of stone.\n\n- Height: 32 m\n- Range: 20 nmi → far\n\nVisit <daily>.");
        assertThat(r.text()).startsWith("HTTP 200 text/html; charset=utf-8 " + server.url("/page") + "\nTitle: Lighthouse & Harbour\n\nHome\n")
                .doesNotContain("do not show").doesNotContain("color: red").doesNotContain("hidden comment");

        JsonNode raw = TOOLS.call("fetch", args("url", server.url("/page"), "raw", true)).structured();
        assertThat(raw.path("text").asText()).isEqualTo(PAGE);
    }

    @Test
    void otherTextIsReturnedAsIsInItsCharsetAndBinaryIsNotShown() throws Exception {
        assertThat(TOOLS.call("fetch", args("url", server.url("/plain"))).structured().path("text").asText())
                .isEqualTo("just text\n  kept   as is\n");
        assertThat(TOOLS.call("fetch", args("url", server.url("/json"))).structured().path("text").asText())
                .isEqualTo("{\"a\": [1, 2]}");
        assertThat(TOOLS.call("fetch", args("url", server.url("/latin1"))).structured().path("text").asText()).isEqualTo("café");
        assertThat(TOOLS.call("fetch", args("url", server.url("/meta"))).structured().path("text").asText()).isEqualTo("naïve");

        HarnessCall image = TOOLS.call("fetch", args("url", server.url("/image")));
        assertThat(image.structured().path("kind").asText()).isEqualTo("binary");
        assertThat(image.structured().path("text").asText()).isEmpty();
        assertThat(image.text()).contains("(binary content, 7 bytes; not shown)");
    }

    @Test
    void anHttpErrorIsAResultWithItsStatusNotAToolError() throws Exception {
        HarnessCall r = TOOLS.call("fetch", args("url", server.url("/missing")));
        assertThat(r.structured().path("status").asInt()).isEqualTo(404);
        assertThat(r.text()).startsWith("HTTP 404 ").contains("Not here");
    }

    @Test
    void followsUpToFiveRedirectsAndReportsThem() throws Exception {
        JsonNode s = TOOLS.call("fetch", args("url", server.url("/r/4"))).structured();
        assertThat(s.path("status").asInt()).isEqualTo(200);
        assertThat(s.path("finalUrl").asText()).isEqualTo(server.url("/plain"));
        assertThat(s.path("redirects")).hasSize(5);
        assertThat(s.path("redirects").get(0).asText()).isEqualTo(server.url("/r/3"));

        ToolException six = TOOLS.refuse("fetch", args("url", server.url("/r/5")));
        assertThat(six.code()).isEqualTo("TOO_MANY_REDIRECTS");
        assertThat(server.requests.stream().filter(l -> l.startsWith("GET /r/5")).count()).isEqualTo(1);
    }

    @Test
    void aRedirectOffHttpIsRefusedAndARedirectWithoutLocationIsTheAnswer() throws Exception {
        ToolException e = TOOLS.refuse("fetch", args("url", server.url("/to-file")));
        assertThat(e.code()).isEqualTo("BAD_REDIRECT");
        assertThat(e.getMessage()).contains("only http and https");
        assertThat(TOOLS.call("fetch", args("url", server.url("/no-location"))).structured().path("status").asInt()).isEqualTo(302);
    }

    @Test
    void aHugeBodyIsCutAtTheCapAndTheDownloadStops() throws Exception {
        long t0 = System.nanoTime();
        JsonNode s = TOOLS.call("fetch", args("url", server.url("/huge"), "max_chars", 1000)).structured();
        assertThat(s.path("bytes").asInt()).isEqualTo(WebSkill.MAX_BYTES);
        assertThat(s.path("truncated").asBoolean()).isTrue();
        assertThat(s.path("textTruncated").asBoolean()).isTrue();
        assertThat(s.path("text").asText()).hasSize(1000);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void aResponseThatStallsFailsAtTheDeadline() {
        SkillHarness quick = WebTools.harness(Map.of(), Map.of(), Duration.ofMillis(1500));
        long t0 = System.nanoTime();
        ToolException e = quick.refuse("fetch", args("url", server.url("/slow")));
        assertThat(e.code()).isEqualTo("FETCH_TIMEOUT");
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(1_000L, 5_000L);
    }

    /** Most of these the gateway already refuses by the input schema's pattern: this is the handler's own defence. */
    @Test
    void badUrlsAreRefusedBeforeAnyRequest() {
        int before = server.requests.size();
        for (String url : new String[] {"file:///etc/passwd", "ftp://example.org/", "http://", "http://user:pw@127.0.0.1/",
                "http://exa mple.org/", "javascript:alert(1)", "/relative/path"}) {
            assertThat(TOOLS.callUnchecked("fetch", args("url", url)).refusal().code()).as(url).isEqualTo("BAD_URL");
        }
        assertThat(server.requests).hasSize(before);
    }

    @Test
    void nothingListeningIsAFetchFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ToolException e = TOOLS.refuse("fetch", args("url", "http://127.0.0.1:" + port + "/"));
        assertThat(e.code()).isEqualTo("FETCH_FAILED");
        assertThat(e.getMessage()).contains("127.0.0.1:" + port);
    }
}
