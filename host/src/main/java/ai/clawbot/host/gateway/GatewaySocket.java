package ai.clawbot.host.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection speaking the gateway protocol. The server speaks first
 * ({@code connect.challenge}); the first request must be {@code connect} with the gateway token, else an
 * error and close 1008. After {@code hello-ok}, requests run on virtual threads and their responses and
 * events go out through one lock, because Helidon's {@code WsSession.send} is not thread-safe.
 */
final class GatewaySocket implements WsListener {

    static final int PROTOCOL = 4;
    static final int MAX_PREAUTH_BYTES = 64 * 1024;
    static final int MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;
    static final long HANDSHAKE_TIMEOUT_MS = 10_000;

    private static final System.Logger LOG = System.getLogger(GatewaySocket.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TokenAuth auth;
    private final Map<String, Method> methods;
    private final ExecutorService work;
    private final ScheduledExecutorService timers;
    private final String connId = UUID.randomUUID().toString();
    private final AtomicLong seq = new AtomicLong();
    private final StringBuilder partial = new StringBuilder();
    private long partialBytes;
    private final Object sendLock = new Object();
    private volatile WsSession session;
    private volatile boolean authenticated;
    private volatile java.util.Set<String> scopes = java.util.Set.of();
    private volatile boolean closed;
    private ScheduledFuture<?> handshakeTimer;

    GatewaySocket(TokenAuth auth, Map<String, Method> methods, ExecutorService work, ScheduledExecutorService timers) {
        this.auth = auth;
        this.methods = methods;
        this.work = work;
        this.timers = timers;
    }

    @Override
    public void onOpen(WsSession session) {
        this.session = session;
        ObjectNode challenge = Frames.JSON.createObjectNode()
                .put("nonce", HexFormat.of().formatHex(RANDOM.generateSeed(16)))
                .put("ts", System.currentTimeMillis());
        send(Frames.event("connect.challenge", challenge, seq.incrementAndGet()));
        handshakeTimer = timers.schedule(() -> {
            if (!authenticated) {
                close(WsCloseCodes.VIOLATED_POLICY, "handshake timeout");
            }
        }, HANDSHAKE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (closed) {
            return; // a connection we closed executes nothing more, whatever its peer still sends
        }
        if (text.indexOf('\uFFFD') >= 0) {
            // Helidon replaces invalid UTF-8 with U+FFFD instead of failing the frame; a protocol frame that
            // needs one can escape it in JSON (\ufffd), so a raw one means the bytes were not UTF-8 (RFC 6455: 1007).
            partial.setLength(0);
            partialBytes = 0;
            send(Frames.error(null, ErrorShape.of("INVALID_REQUEST", "text frame is not valid UTF-8")));
            close(WsCloseCodes.NOT_CONSISTENT, "invalid UTF-8");
            return;
        }
        int limit = authenticated ? MAX_PAYLOAD_BYTES : MAX_PREAUTH_BYTES;
        long bytes = utf8Length(text);
        if (partialBytes + bytes > limit) {
            partial.setLength(0);
            partialBytes = 0;
            send(Frames.error(null, ErrorShape.of("INVALID_REQUEST", "frame exceeds " + limit + " bytes"
                    + (authenticated ? "" : " (limit before connect)"))));
            close(WsCloseCodes.TOO_BIG, "frame too large");
            return;
        }
        partial.append(text);
        partialBytes += bytes;
        if (!last) {
            return;
        }
        String frame = partial.toString();
        partial.setLength(0);
        partialBytes = 0;
        Frames.Request req;
        try {
            req = Frames.parseRequest(frame);
        } catch (GatewayException e) {
            send(Frames.error(null, e.error()));
            if (!authenticated) {
                close(WsCloseCodes.VIOLATED_POLICY, "invalid handshake");
            }
            return;
        }
        if (!authenticated) {
            handshake(req);
        } else {
            work.submit(() -> dispatch(req));
        }
    }

    @Override
    public void onMessage(WsSession session, io.helidon.common.buffers.BufferData buffer, boolean last) {
        if (closed || !last) {
            return;
        }
        send(Frames.error(null, ErrorShape.of("INVALID_REQUEST", "binary frames are not part of the protocol; send JSON text frames")));
        if (!authenticated) {
            close(WsCloseCodes.CANNOT_ACCEPT, "binary frame before connect");
        }
    }

    /** Bytes on the wire (UTF-8) of a decoded text fragment: limits are in bytes, not characters. */
    static long utf8Length(CharSequence s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private void handshake(Frames.Request req) {
        if (!"connect".equals(req.method())) {
            reject(req.id(), ErrorShape.of("INVALID_REQUEST", "the first request must be 'connect'"), "expected connect");
            return;
        }
        JsonNode p = req.params();
        JsonNode token = p.path("auth").path("token");
        if (!token.isTextual() || token.asText().isEmpty()) {
            reject(req.id(), ErrorShape.of("INVALID_REQUEST", "unauthorized: gateway token missing",
                    details("AUTH_TOKEN_MISSING")), "unauthorized");
            return;
        }
        if (!auth.matches(token.asText())) {
            LOG.log(System.Logger.Level.WARNING, "connection " + connId + " refused: wrong gateway token");
            reject(req.id(), ErrorShape.of("INVALID_REQUEST", "unauthorized: gateway token mismatch",
                    details("AUTH_TOKEN_MISMATCH")), "unauthorized");
            return;
        }
        JsonNode minNode = p.path("minProtocol");
        JsonNode maxNode = p.path("maxProtocol");
        boolean badType = !(minNode.isMissingNode() || minNode.isIntegralNumber() && minNode.canConvertToInt())
                || !(maxNode.isMissingNode() || maxNode.isIntegralNumber() && maxNode.canConvertToInt());
        int min = minNode.isMissingNode() || badType ? PROTOCOL : minNode.asInt();
        int max = maxNode.isMissingNode() || badType ? PROTOCOL : maxNode.asInt();
        if (badType) {
            reject(req.id(), ErrorShape.of("INVALID_REQUEST", "minProtocol and maxProtocol must be small integers",
                    details("PROTOCOL_UNSUPPORTED").put("serverProtocol", PROTOCOL)), "protocol mismatch");
            return;
        }
        if (min > PROTOCOL || max < PROTOCOL) {
            reject(req.id(), ErrorShape.of("INVALID_REQUEST", "protocol range [" + min + ", " + max
                    + "] does not include " + PROTOCOL, details("PROTOCOL_UNSUPPORTED").put("serverProtocol", PROTOCOL)),
                    "protocol mismatch");
            return;
        }
        String role = p.path("role").asText("operator");
        if (!role.equals("operator")) {
            reject(req.id(), ErrorShape.of("INVALID_REQUEST", "role '" + role + "' is not supported; connect as 'operator'",
                    details("ROLE_UNSUPPORTED")), "unsupported role");
            return;
        }
        // The token grants every operator scope; a client may ask for fewer (least privilege), never more.
        java.util.Set<String> granted = new java.util.TreeSet<>(OPERATOR_SCOPES);
        if (p.path("scopes").isArray() && !p.path("scopes").isEmpty()) {
            java.util.Set<String> asked = new java.util.TreeSet<>();
            p.path("scopes").forEach(x -> asked.add(x.asText()));
            granted.retainAll(asked);
        }
        scopes = java.util.Set.copyOf(granted);
        authenticated = true;
        handshakeTimer.cancel(false);
        send(Frames.ok(req.id(), hello()));
    }

    private ObjectNode hello() {
        ObjectNode hello = Frames.JSON.createObjectNode().put("type", "hello-ok").put("protocol", PROTOCOL);
        hello.putObject("server").put("version", Gateway.VERSION).put("connId", connId);
        ObjectNode features = hello.putObject("features");
        methods.keySet().stream().sorted().forEach(features.putArray("methods")::add);
        features.putArray("events").add("connect.challenge").add("tick");
        hello.putObject("snapshot").put("uptimeMs", Gateway.uptimeMs());
        ObjectNode authNode = hello.putObject("auth").put("role", "operator");
        scopes.forEach(authNode.putArray("scopes")::add);
        hello.putObject("policy").put("maxPayload", MAX_PAYLOAD_BYTES).put("maxBufferedBytes", MAX_PAYLOAD_BYTES * 2L)
                .put("tickIntervalMs", 30_000);
        return hello;
    }

    private void dispatch(Frames.Request req) {
        Method m = methods.get(req.method());
        if (m == null) {
            String shown = req.method().length() > 80 ? req.method().substring(0, 80) + "…" : req.method();
            send(Frames.error(req.id(), ErrorShape.of("INVALID_REQUEST", "unknown method '" + shown + "'",
                    details("UNKNOWN_METHOD"))));
            return;
        }
        String needed = requiredScope(req.method());
        if (!scopes.contains(needed)) {
            ObjectNode d = details("MISSING_SCOPE").put("missingScope", needed);
            d.putArray("requiredScopes").add(needed);
            send(Frames.error(req.id(), ErrorShape.of("FORBIDDEN", req.method() + " needs scope " + needed, d)));
            return;
        }
        try {
            send(Frames.ok(req.id(), m.handle(req.params())));
        } catch (GatewayException e) {
            send(Frames.error(req.id(), e.error()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "method " + req.method() + " failed", e);
            send(Frames.error(req.id(), ErrorShape.of("UNAVAILABLE", "internal error in " + req.method())));
        }
    }

    static final java.util.Set<String> OPERATOR_SCOPES = java.util.Set.of("operator.read", "operator.write", "operator.admin");

    /** Reading needs read; running tools needs write; changing what is installed needs admin. */
    static String requiredScope(String method) {
        if (method.startsWith("plugins.") && !method.equals("plugins.list")) {
            return "operator.admin";
        }
        if (method.equals("tools.invoke")) {
            return "operator.write";
        }
        return "operator.read";
    }

    private void reject(String id, ErrorShape error, String closeReason) {
        send(Frames.error(id, error));
        close(WsCloseCodes.VIOLATED_POLICY, closeReason);
    }

    static ObjectNode details(String code) {
        return Frames.JSON.createObjectNode().put("code", code);
    }

    private void send(String text) {
        synchronized (sendLock) {
            if (closed) {
                return;
            }
            try {
                session.send(text, true);
            } catch (RuntimeException e) {
                closed = true;
            }
        }
    }

    private void close(int code, String reason) {
        synchronized (sendLock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                session.close(code, reason);
            } catch (RuntimeException ignored) {
                // peer already gone
            }
        }
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        closed = true;
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        closed = true;
    }
}
