package ai.clawbot.skills.web;

import static ai.clawbot.skills.web.LocalHttpServer.send;
import static ai.clawbot.testkit.SkillHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.plugin.api.ToolException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ai.clawbot.testkit.HarnessCall;
import ai.clawbot.testkit.SkillHarness;

/** search against a local server speaking SearXNG's JSON API ({@code /search?q=..&format=json}). */
class WebSearchLocalServerTest {

    private static LocalHttpServer server;

    @BeforeAll
    static void start() throws Exception {
        server = LocalHttpServer.start()
                .on("/searx/search", ex -> {
                    String query = ex.getRequestURI().getRawQuery();
                    if (!query.endsWith("&format=json")) {
                        send(ex, 403, "text/html", "<h1>403 Forbidden</h1>");
                        return;
                    }
                    String q = URLDecoder.decode(query.substring(2, query.indexOf('&')), StandardCharsets.UTF_8);
                    StringBuilder results = new StringBuilder();
                    for (int i = 1; i <= 12; i++) {
                        results.append(i > 1 ? "," : "").append("{\"title\":\"Result ").append(i).append(" for ")
                                .append(q.replace("\"", "\\\"")).append("\",\"url\":\"https://example.org/").append(i)
                                .append("\",\"content\":\"snippet ").append(i).append("\",\"engine\":\"x\",\"score\":1}");
                    }
                    results.append(",{\"title\":\"no url\",\"content\":\"skipped\"}");
                    send(ex, 200, "application/json", "{\"query\":\"" + q.replace("\"", "\\\"") + "\",\"number_of_results\":12,\"results\":["
                            + results + "],\"answers\":[],\"suggestions\":[]}");
                })
                .on("/closed/search", ex -> send(ex, 403, "text/html", "<h1>403 Forbidden</h1>"))
                .on("/html/search", ex -> send(ex, 200, "text/html", "<html>results page</html>"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static SkillHarness withEndpoint(String base) {
        return WebTools.harness(Map.of(WebSkill.SEARCH_URL, base));
    }

    @Test
    void queriesTheConfiguredEndpointAndReturnsTitlesUrlsAndSnippets() throws Exception {
        HarnessCall r = withEndpoint(server.url("/searx/")).call("search", args("query", "lighthouse & \"harbour\"", "limit", 3));
        assertThat(server.requests).contains("GET /searx/search?q=lighthouse+%26+%22harbour%22&format=json");
        JsonNode results = r.structured().path("results");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).path("title").asText()).isEqualTo("Result 1 for lighthouse & \"harbour\"");
        assertThat(results.get(0).path("url").asText()).isEqualTo("https://example.org/1");
        assertThat(results.get(0).path("snippet").asText()).isEqualTo("snippet 1");
        assertThat(r.text()).startsWith("1. Result 1 for lighthouse & \"harbour\"\n   https://example.org/1\n   snippet 1\n2. ");
    }

    @Test
    void aBaseWithoutTrailingSlashWorksAndTheDefaultLimitApplies() throws Exception {
        JsonNode results = withEndpoint(server.url("/searx")).call("search", args("query", "x")).structured().path("results");
        assertThat(results).hasSize(WebSkill.DEFAULT_RESULTS);
        JsonNode all = withEndpoint(server.url("/searx")).call("search", args("query", "x", "limit", 20)).structured().path("results");
        assertThat(all).as("results without a url are skipped").hasSize(12);
    }

    @Test
    void withoutAnEndpointSettingSearchSaysHowToConfigureIt() {
        ToolException e = WebTools.harness().refuse("search", args("query", "x"));
        assertThat(e.code()).isEqualTo("NO_SEARCH_ENDPOINT");
        assertThat(e.getMessage()).contains("search_url").contains("SearXNG");
        assertThat(withEndpoint(" ").refuse("search", args("query", "x")).code()).isEqualTo("NO_SEARCH_ENDPOINT");
    }

    @Test
    void anEndpointThatRefusesJsonOrAnswersHtmlIsASearchFailure() {
        ToolException closed = withEndpoint(server.url("/closed")).refuse("search", args("query", "x"));
        assertThat(closed.code()).isEqualTo("SEARCH_FAILED");
        assertThat(closed.getMessage()).contains("HTTP 403").contains("search.formats");
        ToolException html = withEndpoint(server.url("/html")).refuse("search", args("query", "x"));
        assertThat(html.code()).isEqualTo("SEARCH_FAILED");
        assertThat(html.getMessage()).contains("expected JSON");
    }

    @Test
    void aBadEndpointSettingIsRefusedWithoutARequest() {
        int before = server.requests.size();
        for (String base : new String[] {"file:///tmp", "searx.example.org", server.url("/searx?x=1")}) {
            assertThat(withEndpoint(base).refuse("search", args("query", "x")).code()).as(base).isEqualTo("BAD_SEARCH_ENDPOINT");
        }
        assertThat(server.requests).hasSize(before);
    }
}
