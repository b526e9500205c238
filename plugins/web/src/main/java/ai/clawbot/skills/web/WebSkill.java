package ai.clawbot.skills.web;

import ai.clawbot.plugin.api.Skill;
import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolHandler;
import ai.clawbot.plugin.api.ToolResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The web skill, for research agents: {@code fetch} GETs a page and returns it as text; {@code search} asks a
 * search endpoint speaking SearXNG's JSON API ({@link WebSearch}) whose base URL is the {@value #SEARCH_URL}
 * setting. Every request goes through the sandbox's egress proxy (its address comes in {@code HTTP_PROXY} /
 * {@code HTTPS_PROXY}), which lets through only the {@code host:port}s the manifest and the policy allow.
 */
public final class WebSkill implements Skill {

    /** The setting naming the search endpoint's base URL, e.g. {@code https://searx.example.org}. */
    public static final String SEARCH_URL = "search_url";
    static final int MAX_BYTES = 2 * 1024 * 1024;
    static final int DEFAULT_MAX_CHARS = 100_000;
    static final int DEFAULT_RESULTS = 8;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String ACCEPT_PAGE = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final HttpFetcher fetcher;

    /** The skill as the tool server creates it: the proxy from this process's environment. */
    public WebSkill() {
        this(System.getenv(), DEADLINE);
    }

    WebSkill(Map<String, String> env, Duration deadline) {
        this.fetcher = HttpFetcher.create(env, deadline, MAX_BYTES);
    }

    @Override
    public Map<String, ToolHandler> tools() {
        return Map.of("fetch", this::fetch, "search", this::search);
    }

    private ToolResult fetch(JsonNode args, ToolContext ctx) throws ToolException {
        URI url = HttpFetcher.checkUrl(args.path("url").asText());
        int maxChars = args.path("max_chars").asInt(DEFAULT_MAX_CHARS);
        HttpFetcher.Page page = fetcher.get(url, ACCEPT_PAGE);
        PageText.Rendered r = PageText.render(page, args.path("raw").asBoolean(false));
        String text = r.text() == null ? "" : r.text();
        boolean cut = text.length() > maxChars;
        if (cut) {
            text = text.substring(0, maxChars);
        }
        ObjectNode out = JSON.objectNode()
                .put("url", url.toString())
                .put("finalUrl", page.url().toString())
                .put("status", page.status())
                .put("contentType", page.contentType())
                .put("kind", r.kind())
                .put("bytes", page.body().length)
                .put("truncated", page.truncated())
                .put("textTruncated", cut);
        if (r.title() != null) {
            out.put("title", r.title());
        }
        ArrayNode redirects = out.putArray("redirects");
        page.redirects().forEach(redirects::add);
        out.put("text", text);

        StringBuilder shown = new StringBuilder("HTTP ").append(page.status());
        if (!page.contentType().isEmpty()) {
            shown.append(' ').append(page.contentType());
        }
        shown.append(' ').append(page.url());
        if (r.title() != null) {
            shown.append("\nTitle: ").append(r.title());
        }
        if (r.text() == null) {
            shown.append("\n\n(binary content, ").append(page.body().length).append(" bytes; not shown)");
        } else {
            shown.append("\n\n").append(text);
        }
        if (page.truncated() || cut) {
            shown.append("\n\n[truncated: ").append(page.truncated() ? "the page is over " + MAX_BYTES + " bytes" : "")
                    .append(page.truncated() && cut ? "; " : "").append(cut ? "text cut at " + maxChars + " characters" : "")
                    .append(']');
        }
        return ToolResult.of(shown.toString(), out);
    }

    private ToolResult search(JsonNode args, ToolContext ctx) throws ToolException {
        String base = ctx.setting(SEARCH_URL).filter(s -> !s.isBlank()).orElseThrow(() -> new ToolException(
                "NO_SEARCH_ENDPOINT", "no search endpoint is configured: set plugins.entries.web.config." + SEARCH_URL
                + " in openclaw.json to the base URL of a SearXNG instance (JSON format enabled); its host:port is"
                + " then granted to this skill"));
        String query = args.path("query").asText();
        int limit = args.path("limit").asInt(DEFAULT_RESULTS);
        List<WebSearch.Hit> hits = WebSearch.parse(fetcher.get(WebSearch.endpoint(base, query), "application/json"), limit);
        ObjectNode out = JSON.objectNode().put("query", query);
        ArrayNode results = out.putArray("results");
        StringBuilder text = new StringBuilder();
        int n = 0;
        for (WebSearch.Hit h : hits) {
            results.addObject().put("title", h.title()).put("url", h.url()).put("snippet", h.snippet());
            text.append(++n).append(". ").append(h.title()).append("\n   ").append(h.url());
            if (!h.snippet().isEmpty()) {
                text.append("\n   ").append(h.snippet());
            }
            text.append('\n');
        }
        return ToolResult.of(hits.isEmpty() ? "no results for '" + query + "'" : text.toString().strip(), out);
    }
}
