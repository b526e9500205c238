package ai.clawbot.host.sandbox.egress;

import java.util.Locale;

/**
 * A destination a skill may reach: a DNS name or a dotted-quad IPv4 literal, and a port. The host is kept
 * lowercased so that allowlist membership is plain record equality.
 *
 * <p>Hosts are validated strictly because the allowlist is compared as text: a name that some resolver
 * would read as a number ({@code 127.1}, {@code 0x7f.1}, {@code 2130706433}) is refused rather than allowed
 * to slip past an entry written in another spelling.
 */
public record HostPort(String host, int port) {

    private static final int MAX_HOST = 253;
    private static final int MAX_LABEL = 63;

    public HostPort {
        if (host == null) {
            throw new IllegalArgumentException("host is missing");
        }
        host = host.toLowerCase(Locale.ROOT);
        checkHost(host);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (1-65535)");
        }
    }

    /** Parses {@code host:port}, e.g. {@code api.example.com:443}. IPv6 literals are not supported. */
    public static HostPort parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("expected host:port, got nothing");
        }
        if (text.startsWith("[")) {
            throw new IllegalArgumentException("'" + printable(text) + "': IPv6 literals are not supported");
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + printable(text) + "' has no port; expected host:port");
        }
        if (text.indexOf(':') != colon) {
            throw new IllegalArgumentException("'" + printable(text) + "' has more than one ':'; expected host:port (IPv6 literals are not supported)");
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + printable(text) + "' has no host; expected host:port");
        }
        return new HostPort(host, parsePort(port, text));
    }

    /** True when the host is an IPv4 literal (always canonical dotted-quad; see {@link #parse}). */
    public boolean isIpLiteral() {
        return isDottedQuad(host);
    }

    /** The literal's four bytes; only for {@link #isIpLiteral()} hosts. */
    byte[] literalBytes() {
        String[] parts = host.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) Integer.parseInt(parts[i]);
        }
        return b;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }

    private static int parsePort(String port, String whole) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + printable(whole) + "' has no valid port (expected 1-65535)");
        }
        return Integer.parseInt(port);
    }

    private static void checkHost(String host) {
        if (host.isEmpty() || host.length() > MAX_HOST) {
            throw new IllegalArgumentException("host must be 1-" + MAX_HOST + " characters");
        }
        if (host.endsWith(".")) {
            // "example.com." and "example.com" name the same zone; refuse rather than compare two spellings.
            throw new IllegalArgumentException("host '" + printable(host) + "' ends with a dot; write it without");
        }
        String[] labels = host.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > MAX_LABEL) {
                throw new IllegalArgumentException("host '" + printable(host) + "' has an empty or over-long label");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok) {
                    throw new IllegalArgumentException("host '" + printable(host) + "' has a character not allowed in a host name: '"
                            + printable(String.valueOf(c)) + "'");
                }
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw new IllegalArgumentException("host '" + printable(host) + "' has a label starting or ending with '-'");
            }
        }
        // Like the WHATWG URL parser: a numeric-looking last label makes the whole host an IPv4 address,
        // and we accept that only in its one canonical spelling.
        String last = labels[labels.length - 1];
        boolean numericLooking = last.chars().allMatch(c -> c >= '0' && c <= '9') || last.startsWith("0x");
        if (numericLooking && !isDottedQuad(host)) {
            throw new IllegalArgumentException("host '" + printable(host)
                    + "' looks like an IPv4 address but is not in dotted-quad form (e.g. 192.0.2.1)");
        }
    }

    private static boolean isDottedQuad(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Keeps error messages on one readable line whatever bytes a client sent. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 200 ? b + "…" : b.toString();
    }
}
