package ai.clawbot.host.sandbox.egress;

import ai.clawbot.host.sandbox.egress.HttpHead.Header;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Forwards one plain HTTP request to its origin and streams the response back, then ends the connection
 * ({@code Connection: close} both ways: one request per client connection). The request body is sent on
 * its own thread while the response is read, so an origin that answers early (or a client waiting for
 * {@code 100 Continue}) does not deadlock.
 */
final class HttpForwarder {

    /** Fields that concern only one hop and never go to the origin; {@code Host} is replaced, not forwarded. */
    static final Set<String> REQUEST_HOP_BY_HOP = Set.of("proxy-authorization", "proxy-connection", "connection",
            "keep-alive", "te", "trailer", "upgrade", "host");
    static final Set<String> RESPONSE_HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "upgrade", "te");
    static final int MAX_RESPONSE_HEAD = 64 * 1024;

    private final ProxyRequest request;
    private final Framing requestFraming;
    private final InputStream clientIn;
    private final OutputStream clientOut;
    private final InputStream originIn;
    private final OutputStream originOut;
    private final Runnable closeOrigin;
    private volatile IOException uploadFailure;

    HttpForwarder(ProxyRequest request, Framing requestFraming, InputStream clientIn, OutputStream clientOut,
            InputStream originIn, OutputStream originOut, Runnable closeOrigin) {
        this.request = request;
        this.requestFraming = requestFraming;
        this.clientIn = clientIn;
        this.clientOut = clientOut;
        this.originIn = originIn;
        this.originOut = originOut;
        this.closeOrigin = closeOrigin;
    }

    /** The request head the origin gets: origin-form target, our {@code Host}, no hop-by-hop fields. */
    static List<Header> upstreamHeaders(ProxyRequest request) {
        List<Header> headers = new ArrayList<>();
        // RFC 9112 section 3.2.2: a proxy replaces Host with the authority of the target URI it is using.
        headers.add(new Header("Host", request.hostField()));
        headers.addAll(request.head().endToEnd(REQUEST_HOP_BY_HOP));
        headers.add(new Header("Connection", "close"));
        return headers;
    }

    /**
     * Runs the exchange. Returns normally once the response has been streamed; throws {@link ProxyError}
     * when nothing was sent to the client yet and the proxy should answer itself.
     */
    void run() throws ProxyError, InterruptedException {
        Thread upload = null;
        try {
            HttpHead.write(originOut, request.method() + " " + request.originForm() + " " + request.version(),
                    upstreamHeaders(request));
            originOut.flush();
            if (!(requestFraming instanceof Framing.None)) {
                upload = Thread.ofVirtual().name("egress-upload").start(this::upload);
            }
        } catch (IOException e) {
            throw new ProxyError(502, "could not send the request to " + request.target() + ": " + e.getMessage());
        }
        boolean headSent = false;
        try {
            HttpHead response = readFinalHead();
            int status = status(response.startLine());
            Framing framing = Framing.ofResponse(status, request.method(), response);
            if (framing == null) {
                throw new ProxyError(502, request.target() + " sent a response with ambiguous framing");
            }
            List<Header> headers = new ArrayList<>(response.endToEnd(RESPONSE_HOP_BY_HOP));
            headers.add(new Header("Connection", "close"));
            HttpHead.write(clientOut, response.startLine(), headers);
            headSent = true;
            BodyCopier.copy(framing, originIn, clientOut);
        } catch (IOException e) {
            if (!headSent) {
                IOException up = uploadFailure;
                if (up != null && !(up instanceof java.io.EOFException)) {
                    throw new ProxyError(400, "malformed request body: " + up.getMessage());
                }
                throw new ProxyError(502, request.target() + " did not send a valid response: " + e.getMessage());
            }
            // mid-body: the client sees the connection end early, which is the truth
        } finally {
            closeOrigin.run();
            if (upload != null) {
                upload.interrupt();
            }
        }
    }

    private void upload() {
        try {
            BodyCopier.copy(requestFraming, clientIn, originOut);
        } catch (IOException e) {
            uploadFailure = e;
            closeOrigin.run(); // the origin must not act on a truncated or malformed body
        }
    }

    /** The final response head; interim 1xx heads are passed on (not to HTTP/1.0 clients, RFC 9110 section 15.2). */
    private HttpHead readFinalHead() throws IOException, ProxyError {
        while (true) {
            HttpHead head = HttpHead.read(originIn, MAX_RESPONSE_HEAD);
            int status = status(head.startLine());
            if (status == 101) {
                throw new ProxyError(502, request.target() + " switched protocols, which this proxy does not forward");
            }
            if (status >= 200) {
                return head;
            }
            if (request.version().equals("HTTP/1.1")) {
                HttpHead.write(clientOut, head.startLine(), head.endToEnd(RESPONSE_HOP_BY_HOP));
                clientOut.flush();
            }
        }
    }

    /** The status code of {@code HTTP/1.x NNN reason}. */
    private int status(String statusLine) throws ProxyError {
        if (statusLine.length() >= 12 && statusLine.startsWith("HTTP/1.") && statusLine.charAt(8) == ' '
                && (statusLine.length() == 12 || statusLine.charAt(12) == ' ')) {
            String code = statusLine.substring(9, 12);
            if (code.chars().allMatch(c -> c >= '0' && c <= '9') && code.charAt(0) != '0') {
                return Integer.parseInt(code);
            }
        }
        throw new ProxyError(502, request.target() + " sent a malformed status line");
    }
}
