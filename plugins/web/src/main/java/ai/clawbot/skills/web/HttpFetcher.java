package ai.clawbot.skills.web;

import ai.clawbot.plugin.api.ToolException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import ai.clawbot.plugin.net.ProxyEnv;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GETs http(s) URLs through the sandbox's proxy ({@link ProxyEnv}), following up to {@value #MAX_REDIRECTS}
 * redirects itself (each hop must stay http(s)), keeping at most {@code maxBytes} of the body, and giving up
 * after one deadline for the whole fetch, redirects and body included.
 */
final class HttpFetcher {

    static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final String USER_AGENT = "clawbot-web/0.1 (+https://github.com/openclaw)";

    private final HttpClient client;
    private final Duration deadline;
    private final int maxBytes;

    private HttpFetcher(HttpClient client, Duration deadline, int maxBytes) {
        this.client = client;
        this.deadline = deadline;
        this.maxBytes = maxBytes;
    }

    static HttpFetcher create(Map<String, String> env, Duration deadline, int maxBytes) {
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxyEnv.of(env))
                .followRedirects(HttpClient.Redirect.NEVER) // followed here, so every hop is checked and counted
                .version(HttpClient.Version.HTTP_1_1)       // no h2c upgrade through a plain-HTTP proxy
                .connectTimeout(deadline.compareTo(Duration.ofSeconds(10)) < 0 ? deadline : Duration.ofSeconds(10))
                .build();
        return new HttpFetcher(client, deadline, maxBytes);
    }

    /** A fetched response: where it ended up, its status and content type, and the (possibly cut) body. */
    record Page(URI url, int status, String contentType, byte[] body, boolean truncated, List<String> redirects) {
    }

    Page get(URI start, String accept) throws ToolException {
        long until = System.nanoTime() + deadline.toNanos();
        List<String> redirects = new ArrayList<>();
        URI uri = start;
        for (int hop = 0; ; hop++) {
            HttpResponse<CappedBody.Body> r = send(uri, accept, until);
            String location = r.headers().firstValue("Location").orElse(null);
            if (!REDIRECTS.contains(r.statusCode()) || location == null) {
                return new Page(uri, r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                        r.body().bytes(), r.body().truncated(), redirects);
            }
            if (hop == MAX_REDIRECTS) {
                throw new ToolException("TOO_MANY_REDIRECTS", start + " redirected more than " + MAX_REDIRECTS + " times");
            }
            try {
                uri = checkUrl(uri.resolve(new URI(location.trim())).toString());
            } catch (URISyntaxException e) {
                throw new ToolException("BAD_REDIRECT", uri + " redirected to an invalid URL");
            } catch (ToolException e) {
                throw new ToolException("BAD_REDIRECT", uri + " redirected to a URL this tool does not follow: " + e.getMessage());
            }
            redirects.add(uri.toString());
        }
    }

    private HttpResponse<CappedBody.Body> send(URI uri, String accept, long until) throws ToolException {
        long left = until - System.nanoTime();
        if (left <= 0) {
            throw timeout(uri);
        }
        HttpRequest req = HttpRequest.newBuilder(uri).GET()
                .timeout(Duration.ofNanos(left))
                .header("User-Agent", USER_AGENT)
                .header("Accept", accept)
                .build();
        CompletableFuture<HttpResponse<CappedBody.Body>> f = client.sendAsync(req, CappedBody.handler(maxBytes));
        try {
            return f.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw timeout(uri);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new ToolException("FETCH_FAILED", "interrupted while fetching " + uri);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof HttpTimeoutException) {
                throw timeout(uri);
            }
            String why = c instanceof IOException && c.getMessage() != null ? c.getMessage() : String.valueOf(c);
            throw new ToolException("FETCH_FAILED", "cannot fetch " + uri + ": " + why);
        }
    }

    private ToolException timeout(URI uri) {
        return new ToolException("FETCH_TIMEOUT", "fetching " + uri + " took longer than " + deadline.toSeconds() + " s");
    }

    /** An absolute http(s) URL with a host and no credentials; the fragment is dropped (it never goes on the wire). */
    static URI checkUrl(String url) throws ToolException {
        URI u;
        try {
            u = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ToolException("BAD_URL", "not a valid URL (percent-encode spaces and special characters): " + url);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ToolException("BAD_URL", "only http and https URLs can be fetched: " + url);
        }
        if (u.getHost() == null) {
            throw new ToolException("BAD_URL", "the URL has no host: " + url);
        }
        if (u.getRawUserInfo() != null) {
            throw new ToolException("BAD_URL", "URLs with credentials (user@host) are not fetched");
        }
        try {
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            return new URI(scheme + "://" + u.getRawAuthority() + path + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
        } catch (URISyntaxException e) {
            throw new ToolException("BAD_URL", "not a valid URL: " + url);
        }
    }
}
