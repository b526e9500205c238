package ai.clawbot.plugin.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Picks the proxy for a URL the way the sandbox hands it over: {@code HTTPS_PROXY} for https, {@code HTTP_PROXY}
 * for http (either case, {@code http://host:port}), else the JVM's proxy properties ({@code -Dhttp.proxyHost}…,
 * which the gateway also sets), else none. In a sandbox with an allowlist the proxy is the only way out; with
 * {@code network: none} there is no way out at all.
 */
public final class ProxyEnv extends ProxySelector {

    private final Map<String, String> env;
    private final ProxySelector fallback;

    private ProxyEnv(Map<String, String> env, ProxySelector fallback) {
        this.env = Map.copyOf(env);
        this.fallback = fallback;
    }

    public static ProxyEnv of(Map<String, String> env) {
        return new ProxyEnv(env, ProxySelector.getDefault());
    }

    /** The proxy {@code host:port} named for a scheme, or null. Malformed values are ignored, not guessed at. */
    InetSocketAddress forScheme(String scheme) {
        String key = scheme.toLowerCase(Locale.ROOT) + "_proxy";
        String value = env.get(key.toUpperCase(Locale.ROOT));
        if (value == null || value.isBlank()) {
            value = env.get(key);
        }
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI u = URI.create(value.contains("://") ? value.trim() : "http://" + value.trim());
            if (u.getHost() == null) {
                return null;
            }
            // Resolved now: the sandbox passes an IP address, and the HTTP client wants a resolved proxy address.
            InetSocketAddress a = new InetSocketAddress(u.getHost(), u.getPort() > 0 ? u.getPort() : 80);
            return a.isUnresolved() ? null : a;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public List<Proxy> select(URI uri) {
        InetSocketAddress a = forScheme(uri.getScheme() == null ? "http" : uri.getScheme());
        if (a != null) {
            return List.of(new Proxy(Proxy.Type.HTTP, a));
        }
        return fallback == null ? List.of(Proxy.NO_PROXY) : fallback.select(uri);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        // nothing to learn: there is one proxy, and no direct route to fall back on
    }
}
