package ai.clawbot.host.sandbox.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The start line and header fields of an HTTP/1.x message, read strictly: CRLF line ends only, no bare CR
 * or LF, no control characters, no obsolete line folding, no space before a field's colon. Leniency here is
 * how request smuggling starts, and every client we serve (a skill's HTTP library) writes clean heads.
 * Text is ISO-8859-1 so that every byte round-trips unchanged.
 */
record HttpHead(String startLine, List<Header> headers) {

    record Header(String name, String value) {
    }

    /** Why a head could not be read. */
    static final class HeadException extends IOException {

        enum Kind { EMPTY, TOO_LARGE, MALFORMED }

        final Kind kind;

        HeadException(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }
    }

    /** Reads one head of at most {@code maxBytes}; {@link HeadException.Kind#EMPTY} if the peer closed first. */
    static HttpHead read(InputStream in, int maxBytes) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        int total = 0;
        boolean cr = false;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (total == 0) {
                    throw new HeadException(HeadException.Kind.EMPTY, "the connection closed before a request");
                }
                throw new HeadException(HeadException.Kind.MALFORMED, "the connection closed in the middle of the head");
            }
            if (++total > maxBytes) {
                throw new HeadException(HeadException.Kind.TOO_LARGE, "the head is longer than " + maxBytes + " bytes");
            }
            if (cr && b != '\n') {
                throw malformed("a bare CR");
            }
            if (b == '\r') {
                cr = true;
            } else if (b == '\n') {
                if (!cr) {
                    throw malformed("a bare LF (lines must end with CRLF)");
                }
                cr = false;
                String s = line.toString(StandardCharsets.ISO_8859_1);
                line.reset();
                if (!s.isEmpty()) {
                    lines.add(s);
                } else if (!lines.isEmpty()) {
                    return parse(lines);
                }
                // an empty line before the start line is tolerated (RFC 9112 section 2.2)
            } else if ((b < 0x20 && b != '\t') || b == 0x7f) {
                throw malformed("a control character (0x" + Integer.toHexString(b) + ")");
            } else {
                line.write(b);
            }
        }
    }

    private static HttpHead parse(List<String> lines) throws HeadException {
        List<Header> headers = new ArrayList<>(lines.size() - 1);
        for (String l : lines.subList(1, lines.size())) {
            if (l.charAt(0) == ' ' || l.charAt(0) == '\t') {
                throw malformed("a folded header line");
            }
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw malformed("a header line without a name and ':'");
            }
            String name = l.substring(0, colon);
            if (!isToken(name)) {
                throw malformed("a header name that is not a token: '" + HostPort.printable(name) + "'");
            }
            headers.add(new Header(name, l.substring(colon + 1).strip()));
        }
        return new HttpHead(lines.get(0), List.copyOf(headers));
    }

    private static HeadException malformed(String what) {
        return new HeadException(HeadException.Kind.MALFORMED, "malformed head: " + what);
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Every value of a field, split on commas, trimmed; for list-valued fields. */
    List<String> values(String name) {
        List<String> out = new ArrayList<>();
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                for (String v : h.value().split(",")) {
                    if (!v.isBlank()) {
                        out.add(v.strip());
                    }
                }
            }
        }
        return out;
    }

    boolean has(String name) {
        return headers.stream().anyMatch(h -> h.name().equalsIgnoreCase(name));
    }

    /**
     * The fields without the hop-by-hop ones: those in {@code hopByHop}, and those the message itself names in
     * its {@code Connection} field (RFC 9110 section 7.6.1).
     */
    List<Header> endToEnd(Set<String> hopByHop) {
        Set<String> named = new java.util.HashSet<>();
        for (String v : values("Connection")) {
            named.add(v.toLowerCase(Locale.ROOT));
        }
        return headers.stream()
                .filter(h -> !hopByHop.contains(h.name().toLowerCase(Locale.ROOT)))
                .filter(h -> !named.contains(h.name().toLowerCase(Locale.ROOT)))
                .toList();
    }

    /** Writes a head: start line, fields, empty line. */
    static void write(OutputStream out, String startLine, List<Header> headers) throws IOException {
        StringBuilder b = new StringBuilder(startLine).append("\r\n");
        for (Header h : headers) {
            b.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        b.append("\r\n");
        out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
    }
}
