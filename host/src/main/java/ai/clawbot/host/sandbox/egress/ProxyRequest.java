package ai.clawbot.host.sandbox.egress;

import java.util.Locale;

/**
 * What a client asked the proxy for: a {@code CONNECT host:port} tunnel, or a plain HTTP request in
 * absolute form ({@code GET http://host[:port]/path HTTP/1.1}). Origin-form requests ({@code GET /path}) are
 * refused: this is a proxy, not a server, and a {@code Host} field is never used to pick the destination.
 *
 * @param originForm the path and query to send upstream ({@code /} when empty); {@code null} for CONNECT
 */
record ProxyRequest(String method, HostPort target, String originForm, String version, HttpHead head) {

    boolean isConnect() {
        return method.equals("CONNECT");
    }

    /** The authority to send as {@code Host}: the port only when it is not 80. */
    String hostField() {
        return target.port() == 80 ? target.host() : target.toString();
    }

    static ProxyRequest parse(HttpHead head) throws ProxyError {
        String[] parts = head.startLine().split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new ProxyError(400, "malformed request line: expected 'METHOD target HTTP/1.1'");
        }
        String method = parts[0];
        String target = parts[1];
        String version = parts[2];
        if (!HttpHead.isToken(method)) {
            throw new ProxyError(400, "malformed request line: the method is not a token");
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new ProxyError(400, "unsupported HTTP version '" + HostPort.printable(version) + "' (HTTP/1.0 and HTTP/1.1 only)");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new ProxyError(400, "malformed request target: it contains a space, control or non-ASCII character");
            }
        }
        if (method.equals("CONNECT")) {
            return new ProxyRequest(method, hostPort(target), null, version, head);
        }
        String lower = target.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) {
            throw new ProxyError(400, "use CONNECT for https:// destinations");
        }
        if (!lower.startsWith("http://")) {
            throw new ProxyError(400, "the request target must be an absolute http:// URL (or CONNECT host:port)");
        }
        String rest = target.substring("http://".length());
        int end = indexOfAny(rest, "/?#");
        String authority = end < 0 ? rest : rest.substring(0, end);
        String path = end < 0 ? "" : rest.substring(end);
        if (authority.indexOf('@') >= 0) {
            throw new ProxyError(400, "user information in the request URL is not allowed");
        }
        HostPort hp = hostPort(authority.indexOf(':') >= 0 || authority.startsWith("[") ? authority : authority + ":80");
        int hash = path.indexOf('#');
        if (hash >= 0) {
            path = path.substring(0, hash);
        }
        if (path.isEmpty() || path.charAt(0) == '?') {
            path = "/" + path;
        }
        return new ProxyRequest(method, hp, path, version, head);
    }

    private static HostPort hostPort(String text) throws ProxyError {
        try {
            return HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ProxyError(400, "bad destination: " + e.getMessage());
        }
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
