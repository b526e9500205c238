package ai.clawbot.host.gateway.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which web pages may open the gateway's WebSocket (OpenClaw's {@code gateway.controlUi.allowedOrigins}),
 * against cross-site WebSocket hijacking: a page the user merely visits must not drive the gateway. A request
 * without {@code Origin} is not from a browser and passes (the token still has to match). A browser origin
 * passes when it is loopback ({@code http(s)://localhost}, {@code 127.x.y.z}, {@code [::1]}, any port), when it
 * is the very address the client dialed ({@code Origin} host:port equals the {@code Host} header) and that
 * address is an IP literal, or when it equals a configured origin after normalisation (scheme and host lower
 * case, default port dropped). Everything else, {@code "null"} included, is refused.
 *
 * <p>Same-origin is trusted only for IP literals on purpose: with a DNS name, a page at
 * {@code http://evil.example:18789} whose name is re-pointed at this machine (DNS rebinding) sends
 * {@code Origin} and {@code Host} that match. OpenClaw refuses Host-header matching altogether unless
 * {@code dangerouslyAllowHostHeaderOriginFallback} is set; a name the gateway is reached by belongs in the
 * allowlist.
 */
public final class OriginPolicy {

    /** Longer Origin headers are refused unparsed; real ones are under ~270 characters. */
    public static final int MAX_ORIGIN_CHARS = 2048;

    private final Set<WebOrigin> allowed;

    private OriginPolicy(Set<WebOrigin> allowed) {
        this.allowed = allowed;
    }

    /**
     * @param allowedOrigins {@code gateway.controlUi.allowedOrigins}; each {@code http(s)://host[:port]},
     *                       optionally with a trailing {@code /}; {@code null} means none
     * @throws IllegalArgumentException naming the first entry that is not such an origin ({@code "*"},
     *                                  {@code "null"}, a path, user info, another scheme, blank)
     */
    public static OriginPolicy create(List<String> allowedOrigins) {
        Set<WebOrigin> parsed = new LinkedHashSet<>();
        for (String entry : allowedOrigins == null ? List.<String>of() : allowedOrigins) {
            parsed.add(configured(entry));
        }
        return new OriginPolicy(Collections.unmodifiableSet(parsed));
    }

    /** The configured origins, normalised ({@code https://ui.example}, {@code http://10.0.0.2:8080}). */
    public List<String> allowedOrigins() {
        List<String> out = new ArrayList<>();
        allowed.forEach(o -> out.add(o.toString()));
        return List.copyOf(out);
    }

    /**
     * @param originHeaderOrNull the upgrade request's {@code Origin} header
     * @param hostHeaderOrNull   its {@code Host} header, for the same-origin rule
     */
    public OriginCheck check(String originHeaderOrNull, String hostHeaderOrNull) {
        if (originHeaderOrNull == null || originHeaderOrNull.isBlank()) {
            return new OriginCheck.Allowed(OriginCheck.Basis.NO_ORIGIN);
        }
        String raw = originHeaderOrNull.strip();
        if (raw.length() > MAX_ORIGIN_CHARS) {
            return refused(raw, "origin is longer than " + MAX_ORIGIN_CHARS + " characters");
        }
        if (raw.equals("null")) {
            return refused(raw, "opaque origin 'null' (a sandboxed page, a file: page or a cross-site redirect)");
        }
        Optional<WebOrigin> parsed;
        try {
            parsed = WebOrigin.parse(raw);
        } catch (WebOrigin.NotWeb e) {
            return refused(raw, "scheme '" + e.scheme + "' is not a web page origin (only http and https)");
        }
        if (parsed.isEmpty()) {
            return refused(raw, "malformed origin (expected scheme://host[:port] and nothing else)");
        }
        WebOrigin origin = parsed.get();
        if (origin.isLoopback()) {
            return new OriginCheck.Allowed(OriginCheck.Basis.LOOPBACK);
        }
        if (allowed.contains(origin)) {
            return new OriginCheck.Allowed(OriginCheck.Basis.CONFIGURED);
        }
        if (hostHeaderOrNull != null && hostHeaderOrNull.length() <= MAX_ORIGIN_CHARS && origin.hostIsIpLiteral()
                && WebOrigin.fromHostHeader(hostHeaderOrNull, origin.scheme(), origin.defaultPort())
                        .filter(origin::equals).isPresent()) {
            return new OriginCheck.Allowed(OriginCheck.Basis.SAME_ORIGIN);
        }
        return refused(raw, origin + " is not in the allowed origins");
    }

    private static WebOrigin configured(String entry) {
        if (entry == null || entry.isBlank()) {
            throw new IllegalArgumentException("gateway.controlUi.allowedOrigins has a blank entry");
        }
        String e = entry.strip();
        String shown = safe(e);
        if (e.length() > MAX_ORIGIN_CHARS) {
            throw new IllegalArgumentException("gateway.controlUi.allowedOrigins entry '" + shown + "' is too long");
        }
        if (e.equals("*") || e.equals("null")) {
            throw new IllegalArgumentException("gateway.controlUi.allowedOrigins entry '" + e
                    + "' is not allowed: list each origin (scheme://host[:port]) you trust");
        }
        String withoutSlash = e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
        try {
            return WebOrigin.parse(withoutSlash).orElseThrow(() -> new IllegalArgumentException(
                    "gateway.controlUi.allowedOrigins entry '" + shown
                            + "' is not an origin: expected scheme://host[:port], no path, query or user info"));
        } catch (WebOrigin.NotWeb x) {
            throw new IllegalArgumentException("gateway.controlUi.allowedOrigins entry '" + shown
                    + "' has scheme '" + x.scheme + "': only http and https origins can be allowed");
        }
    }

    private static OriginCheck.Refused refused(String raw, String reason) {
        return new OriginCheck.Refused(safe(raw), reason);
    }

    /** At most 120 characters, control and non-ASCII characters as '?', so it can go into a log line. */
    static String safe(String s) {
        StringBuilder out = new StringBuilder();
        int n = Math.min(s.length(), 120);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return s.length() > n ? out.append('…').toString() : out.toString();
    }
}
