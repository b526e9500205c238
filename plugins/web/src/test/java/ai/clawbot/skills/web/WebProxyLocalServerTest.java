package ai.clawbot.skills.web;

import static ai.clawbot.skills.web.LocalHttpServer.send;
import static ai.clawbot.testkit.SkillHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.plugin.api.ToolException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import ai.clawbot.testkit.SkillHarness;

/**
 * The skill sends everything through the proxy named in its environment, as the sandbox passes it: plain http
 * as an absolute-form request to {@code HTTP_PROXY}, https as a {@code CONNECT} to {@code HTTPS_PROXY}. The
 * origin names used here do not resolve, so only the proxy can have answered.
 */
class WebProxyLocalServerTest {

    @Test
    void plainHttpGoesToHttpProxyAsAnAbsoluteUrlIncludingRedirectsAndSearch() throws Exception {
        try (LocalHttpServer proxy = LocalHttpServer.start()
                .on("/start", ex -> LocalHttpServer.redirect(ex, 302, "http://other.invalid/page"))
                .on("/page", ex -> send(ex, 200, "text/html", "<p>via the proxy: " + ex.getRequestURI() + "</p>"))
                .on("/search", ex -> send(ex, 200, "application/json",
                        "{\"results\":[{\"title\":\"T\",\"url\":\"https://r.invalid/\",\"content\":\"c\"}]}"))) {
            for (String var : List.of("HTTP_PROXY", "http_proxy")) {
                SkillHarness tools = WebTools.harness(Map.of(var, "http://127.0.0.1:" + proxy.port()),
                        Map.of(WebSkill.SEARCH_URL, "http://searx.invalid"), Duration.ofSeconds(10));
                JsonNode page = tools.call("fetch", args("url", "http://origin.invalid/start")).structured();
                assertThat(page.path("text").asText()).as(var).isEqualTo("via the proxy: http://other.invalid/page");
                assertThat(page.path("finalUrl").asText()).isEqualTo("http://other.invalid/page");
                JsonNode hits = tools.call("search", args("query", "q")).structured();
                assertThat(hits.at("/results/0/url").asText()).isEqualTo("https://r.invalid/");
            }
            assertThat(proxy.requests).startsWith("GET http://origin.invalid/start", "GET http://other.invalid/page",
                    "GET http://searx.invalid/search?q=q&format=json");
        }
    }

    @Test
    void httpsGoesToHttpsProxyAsConnectAndARefusalIsAFetchFailure() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (ServerSocket proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = proxy.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    seen.add(in.readLine());
                    for (String l = in.readLine(); l != null && !l.isEmpty(); l = in.readLine()) {
                        // headers: not needed
                    }
                    // What the gateway's egress proxy answers for a host:port off the allowlist.
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (Exception ignored) {
                    // the test fails on what was seen
                }
            });
            t.start();
            SkillHarness tools = WebTools.harness(Map.of("HTTPS_PROXY", "http://127.0.0.1:" + proxy.getLocalPort()), Map.of(),
                    Duration.ofSeconds(10));
            ToolException e = tools.refuse("fetch", args("url", "https://not-allowed.invalid/secret"));
            t.join(5_000);
            assertThat(seen).containsExactly("CONNECT not-allowed.invalid:443 HTTP/1.1");
            assertThat(e.code()).isEqualTo("FETCH_FAILED");
            assertThat(e.getMessage()).contains("https://not-allowed.invalid/secret");
        }
    }
}
