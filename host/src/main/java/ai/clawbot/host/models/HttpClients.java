package ai.clawbot.host.models;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;

/** The HTTP client the built-in factories hand to langchain4j. */
final class HttpClients {

    private HttpClients() {
    }

    /**
     * The JDK client, named explicitly so a second langchain4j HTTP client on the classpath cannot change the
     * choice. Plain-http endpoints (Ollama, vLLM, llama.cpp on localhost) get HTTP/1.1: the JDK would otherwise
     * offer an h2c upgrade, which some of those servers mishandle.
     */
    static JdkHttpClientBuilder forUrl(String baseUrl, Duration timeout) {
        HttpClient.Builder jdk = HttpClient.newBuilder();
        if (baseUrl != null && "http".equals(scheme(baseUrl))) {
            jdk.version(HttpClient.Version.HTTP_1_1);
        }
        return JdkHttpClient.builder().httpClientBuilder(jdk).connectTimeout(timeout).readTimeout(timeout);
    }

    /** Fails with a clear message for a URL that is not http(s). */
    static String requireHttpUrl(String providerId, String baseUrl) {
        String scheme = scheme(baseUrl);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("provider '" + providerId + "': baseUrl '" + baseUrl
                    + "' is not an http(s) URL");
        }
        return baseUrl;
    }

    private static String scheme(String url) {
        try {
            String scheme = URI.create(url.trim()).getScheme();
            return scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
