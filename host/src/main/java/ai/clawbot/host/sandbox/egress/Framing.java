package ai.clawbot.host.sandbox.egress;

import java.util.List;
import java.util.Locale;

/**
 * Where an HTTP/1.x message body ends (RFC 9112 section 6.3). The proxy forwards bodies byte for byte but
 * always knows where they end, so a second request hidden after the first body can never reach the origin
 * without passing the proxy's checks.
 */
sealed interface Framing {

    /** No body. */
    record None() implements Framing {
    }

    /** Exactly this many bytes. */
    record Length(long bytes) implements Framing {
    }

    /** Chunked transfer coding, forwarded chunk by chunk. */
    record Chunked() implements Framing {
    }

    /** Until the sender closes (responses only). */
    record UntilClose() implements Framing {
    }

    /** A request body's framing; ambiguous or unsupported framing is refused. */
    static Framing ofRequest(ProxyRequest request) throws ProxyError {
        HttpHead head = request.head();
        boolean te = head.has("Transfer-Encoding");
        boolean cl = head.has("Content-Length");
        if (te && cl) {
            throw new ProxyError(400, "a request with both Transfer-Encoding and Content-Length is ambiguous");
        }
        if (te) {
            if (request.version().equals("HTTP/1.0")) {
                throw new ProxyError(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            List<String> codings = head.values("Transfer-Encoding");
            if (codings.size() != 1 || !codings.get(0).toLowerCase(Locale.ROOT).equals("chunked")) {
                throw new ProxyError(501, "only 'Transfer-Encoding: chunked' request bodies are supported");
            }
            return new Chunked();
        }
        if (cl) {
            long n = contentLength(head);
            if (n < 0) {
                throw new ProxyError(400, "invalid or conflicting Content-Length");
            }
            return n == 0 ? new None() : new Length(n);
        }
        return new None();
    }

    /** A response body's framing; {@code null} when it is ambiguous (the caller answers 502). */
    static Framing ofResponse(int status, String requestMethod, HttpHead head) {
        if (requestMethod.equals("HEAD") || (status >= 100 && status < 200) || status == 204 || status == 304) {
            return new None();
        }
        boolean te = head.has("Transfer-Encoding");
        if (te && head.has("Content-Length")) {
            return null;
        }
        if (te) {
            List<String> codings = head.values("Transfer-Encoding");
            boolean chunkedLast = !codings.isEmpty() && codings.get(codings.size() - 1).toLowerCase(Locale.ROOT).equals("chunked");
            return chunkedLast ? new Chunked() : new UntilClose();
        }
        if (head.has("Content-Length")) {
            long n = contentLength(head);
            return n < 0 ? null : new Length(n);
        }
        return new UntilClose();
    }

    /** The one length all Content-Length values agree on, or -1. */
    private static long contentLength(HttpHead head) {
        long n = -1;
        for (String v : head.values("Content-Length")) {
            if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return -1;
            }
            long m = Long.parseLong(v);
            if (n >= 0 && m != n) {
                return -1;
            }
            n = m;
        }
        return n;
    }
}
