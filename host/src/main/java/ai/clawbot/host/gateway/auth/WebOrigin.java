package ai.clawbot.host.gateway.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser origin (RFC 6454 serialisation: {@code scheme://host[:port]}, nothing else), normalised: scheme
 * and host lower case, IPv6 hosts in one canonical text form, the port always explicit here and left out of
 * {@link #toString} when it is the scheme's default. Parsing is deliberately narrow: no user info, path, query
 * or fragment, so {@code http://127.0.0.1@evil.com} or {@code http://evil.com#@localhost} never parse to a
 * trusted host.
 */
record WebOrigin(String scheme, String host, int port) {

    private static final Pattern ORIGIN = Pattern.compile(
            "([A-Za-z][A-Za-z0-9+.-]{0,31})://(\\[[0-9A-Fa-f:.]{2,45}]|[A-Za-z0-9._-]{1,253})(?::(\\d{1,5}))?");
    private static final Pattern AUTHORITY = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]{2,45}]|[A-Za-z0-9._-]{1,253})(?::(\\d{1,5}))?");
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9]\\d{0,2})(\\.(0|[1-9]\\d{0,2})){3}");

    /** Parsed but not a web origin: only http and https pages can be allowed. */
    static final class NotWeb extends Exception {
        final String scheme;

        NotWeb(String scheme) {
            super(null, null, false, false);
            this.scheme = scheme;
        }
    }

    /** Empty when {@code text} is not of the form {@code scheme://host[:port]}; NotWeb for other schemes. */
    static Optional<WebOrigin> parse(String text) throws NotWeb {
        Matcher m = ORIGIN.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        int defaultPort = switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> throw new NotWeb(scheme);
        };
        return host(m.group(2)).flatMap(h -> port(m.group(3), defaultPort).map(p -> new WebOrigin(scheme, h, p)));
    }

    /**
     * The host and port a {@code Host} header names, with {@code defaultPort} filled in when it has none, as a
     * WebOrigin of {@code scheme}; empty when it is malformed.
     */
    static Optional<WebOrigin> fromHostHeader(String header, String scheme, int defaultPort) {
        Matcher m = AUTHORITY.matcher(header.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        return host(m.group(1)).flatMap(h -> port(m.group(2), defaultPort).map(p -> new WebOrigin(scheme, h, p)));
    }

    int defaultPort() {
        return scheme.equals("https") ? 443 : 80;
    }

    /** An IP literal (IPv4 dotted decimal or bracketed IPv6) rather than a DNS name. */
    boolean hostIsIpLiteral() {
        return host.startsWith("[") || IPV4.matcher(host).matches();
    }

    /** localhost, 127.0.0.0/8, ::1 (or ::ffff:127.x), as http or https. */
    boolean isLoopback() {
        if (host.equals("localhost")) {
            return true;
        }
        if (IPV4.matcher(host).matches()) {
            return host.startsWith("127.");
        }
        if (host.startsWith("[")) {
            return literal(host).map(BindPolicy::isLoopback).orElse(false);
        }
        return false;
    }

    @Override
    public String toString() {
        return scheme + "://" + host + (port == defaultPort() ? "" : ":" + port);
    }

    private static Optional<String> host(String raw) {
        String h = raw.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            // Canonical text, so [::1] and [0:0:0:0:0:0:0:1] are one host; a mapped IPv4 becomes dotted decimal.
            return literal(h).map(a -> a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress());
        }
        if (h.startsWith(".") || h.startsWith("-") || h.contains("..")) {
            return Optional.empty();
        }
        if (h.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9') && !IPV4.matcher(h).matches()) {
            return Optional.empty(); // 127.1, 0127.0.0.1 or 127.0.0.256: browsers never send these forms
        }
        if (IPV4.matcher(h).matches()) {
            for (String octet : h.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(h);
    }

    /** A bracketed IPv6 literal, parsed without any lookup (text with ':' is never resolved). */
    private static Optional<InetAddress> literal(String bracketed) {
        if (bracketed.indexOf(':') < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(bracketed));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> port(String raw, int defaultPort) {
        if (raw == null) {
            return Optional.of(defaultPort);
        }
        int p = Integer.parseInt(raw);
        return p >= 1 && p <= 65535 ? Optional.of(p) : Optional.empty();
    }
}
