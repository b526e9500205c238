package ai.clawbot.skills.web;

import ai.clawbot.plugin.api.ToolException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The search endpoint's API, which is SearXNG's JSON API: {@code GET <search_url>/search?q=<query>&format=json}
 * answers {@code {"results": [{"title": "...", "url": "...", "content": "..."}, ...]}} (other fields ignored).
 * Any service answering that shape works. SearXNG only answers JSON when {@code json} is listed in its
 * {@code search.formats} setting; otherwise it answers 403.
 */
final class WebSearch {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SNIPPET_CHARS = 400;

    /** One search result. */
    record Hit(String title, String url, String snippet) {
    }

    private WebSearch() {
    }

    /** The query URL under the configured base ({@code https://searx.example.org} or {@code .../searx/}). */
    static URI endpoint(String base, String query) throws ToolException {
        URI b;
        try {
            b = HttpFetcher.checkUrl(base);
        } catch (ToolException e) {
            throw new ToolException("BAD_SEARCH_ENDPOINT", "the search_url setting is not usable: " + e.getMessage());
        }
        if (b.getRawQuery() != null) {
            throw new ToolException("BAD_SEARCH_ENDPOINT", "the search_url setting must be a base URL without a query");
        }
        String path = b.getRawPath().endsWith("/") ? b.getRawPath() : b.getRawPath() + "/";
        String q = URLEncoder.encode(query, StandardCharsets.UTF_8);
        return URI.create(b.getScheme() + "://" + b.getRawAuthority() + path + "search?q=" + q + "&format=json");
    }

    static List<Hit> parse(HttpFetcher.Page page, int limit) throws ToolException {
        if (page.status() != 200) {
            throw new ToolException("SEARCH_FAILED", "the search endpoint answered HTTP " + page.status()
                    + (page.status() == 403 ? " (a SearXNG instance needs 'json' in search.formats)" : ""));
        }
        if (page.truncated()) {
            throw new ToolException("SEARCH_FAILED", "the search endpoint's answer is over the size limit");
        }
        JsonNode root;
        try {
            root = JSON.readTree(page.body());
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.path("results").isArray()) {
            throw new ToolException("SEARCH_FAILED", "the search endpoint did not answer the expected JSON "
                    + "({\"results\": [...]}; content type '" + page.contentType() + "')");
        }
        List<Hit> hits = new ArrayList<>();
        for (JsonNode r : root.path("results")) {
            if (hits.size() >= limit) {
                break;
            }
            String url = r.path("url").asText("");
            if (url.isBlank()) {
                continue;
            }
            hits.add(new Hit(r.path("title").asText(url).strip(), url, clip(r.path("content").asText("").strip())));
        }
        return hits;
    }

    private static String clip(String s) {
        return s.length() <= SNIPPET_CHARS ? s : s.substring(0, SNIPPET_CHARS - 1) + "…";
    }
}
