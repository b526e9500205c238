package ai.clawbot.host.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection speaking the gateway protocol. The server speaks first ({@code connect.challenge});
 * the first request must be {@code connect} ({@link Handshake} decides it), else a typed error and close 1008.
 * Frames are size-capped in bytes (64 KiB before connect, then {@code maxPayload}); requests then run on
 * virtual threads ({@link Dispatcher}); every outbound frame goes through the connection's {@link Outbox}, which
 * also numbers events ({@code seq}) in the order they are written.
 */
final class GatewaySocket implements WsListener, Client {

    static final int PROTOCOL = Handshake.PROTOCOL;
    static final int MAX_PREAUTH_BYTES = ProtocolContext.MAX_PREAUTH_BYTES;
    static final int MAX_PAYLOAD_BYTES = ProtocolContext.MAX_PAYLOAD_BYTES;
    static final long HANDSHAKE_TIMEOUT_MS = 10_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ProtocolContext ctx;
    private final String connId = UUID.randomUUID().toString();
    private final String nonce = HexFormat.of().formatHex(RANDOM.generateSeed(16));
    private final StringBuilder partial = new StringBuilder();
    private long partialBytes;
    private long seq;
    private volatile Outbox outbox;
    private volatile boolean authenticated;
    private volatile Set<String> scopes = Set.of();
    private volatile String origin;
    private volatile String host;
    private long challengeTs;
    private InetAddress address;
    private ScheduledFuture<?> handshakeTimer;
    private boolean opened;

    GatewaySocket(ProtocolContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        origin = headers.first(HeaderNames.ORIGIN).orElse(null);
        host = headers.first(HeaderNames.HOST).orElse(null);
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        outbox = new Outbox(session, ProtocolContext.MAX_BUFFERED_BYTES, this::gone);
        address = session.socketContext().remotePeer().address() instanceof InetSocketAddress a
                ? a.getAddress() : InetAddress.getLoopbackAddress();
        opened = true;
        ctx.metrics().connectionOpened();
        challengeTs = System.currentTimeMillis();
        emit("connect.challenge", Frames.JSON.createObjectNode().put("nonce", nonce).put("ts", challengeTs));
        handshakeTimer = ctx.timers().schedule(() -> {
            if (!authenticated) {
                close(WsCloseCodes.VIOLATED_POLICY, "handshake timeout");
            }
        }, HANDSHAKE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (outbox.isClosed()) {
            return; // a connection we closed executes nothing more, whatever its peer still sends
        }
        // Text arrives valid UTF-8 cut on character boundaries: frames.FrameCheck closes with 1007 otherwise.
        int limit = authenticated ? MAX_PAYLOAD_BYTES : MAX_PREAUTH_BYTES;
        long bytes = utf8Length(text);
        if (partialBytes + bytes > limit) {
            resetPartial();
            sendError(null, ErrorShape.of("INVALID_REQUEST", "frame exceeds " + limit + " bytes"
                    + (authenticated ? "" : " (limit before connect)")));
            close(WsCloseCodes.TOO_BIG, "frame too large");
            return;
        }
        partial.append(text);
        partialBytes += bytes;
        if (!last) {
            return;
        }
        String frame = partial.toString();
        resetPartial();
        Frames.Request req;
        try {
            req = Frames.parseRequest(frame);
        } catch (GatewayException e) {
            sendError(null, e.error());
            if (!authenticated) {
                close(WsCloseCodes.VIOLATED_POLICY, "invalid handshake");
            }
            return;
        }
        if (!authenticated) {
            handshake(req);
        } else {
            ctx.work().submit(() -> new Dispatcher(ctx).dispatch(req, this));
        }
    }

    @Override
    public void onMessage(WsSession session, io.helidon.common.buffers.BufferData buffer, boolean last) {
        if (outbox.isClosed() || !last) {
            return;
        }
        sendError(null, ErrorShape.of("INVALID_REQUEST", "binary frames are not part of the protocol; send JSON text frames"));
        if (!authenticated) {
            close(WsCloseCodes.CANNOT_ACCEPT, "binary frame before connect");
        }
    }

    private void resetPartial() {
        partial.setLength(0);
        partialBytes = 0;
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
        Handshake.Peer peer = new Handshake.Peer(connId, address, origin, host, nonce, challengeTs);
        switch (new Handshake(ctx).decide(req, peer)) {
            case Handshake.Refused r -> {
                sendError(req.id(), r.error());
                close(WsCloseCodes.VIOLATED_POLICY, r.closeReason());
            }
            case Handshake.Accepted a -> {
                scopes = a.scopes();
                authenticated = true;
                handshakeTimer.cancel(false);
                outbox.send(Frames.ok(req.id(), hello(a)));
                ctx.hub().join(this); // after hello-ok is queued: no event may overtake the connect reply
            }
        }
    }

    /**
     * Builds and serializes one hello-ok and drops it (no connection, no credentials): the loopback warm-up is
     * refused before this code runs, and the first real client's accepted handshake should not be its first run.
     */
    static void warmHelloOk(ProtocolContext ctx) {
        Frames.ok("warm-up", new GatewaySocket(ctx).hello(new Handshake.Accepted(Scopes.OPERATOR, null, "gateway-warmup", "backend")));
    }

    private ObjectNode hello(Handshake.Accepted a) {
        ObjectNode hello = Frames.JSON.createObjectNode().put("type", "hello-ok").put("protocol", PROTOCOL);
        hello.putObject("server").put("version", Gateway.VERSION).put("connId", connId);
        ObjectNode features = hello.putObject("features");
        MethodTable methods = ctx.methods().get();
        methods.names().forEach(features.putArray("methods")::add);
        Events.ALL.forEach(features.putArray("events")::add);
        ObjectNode snapshot = hello.putObject("snapshot").put("uptimeMs", Gateway.uptimeMs());
        snapshot.putArray("presence");
        snapshot.putObject("health").put("ok", true);
        snapshot.putObject("stateVersion").put("presence", 0).put("health", 0);
        ObjectNode authNode = hello.putObject("auth").put("role", "operator");
        a.scopes().stream().sorted().forEach(authNode.putArray("scopes")::add);
        if (a.deviceId() != null) {
            authNode.put("deviceId", a.deviceId());
        }
        hello.putObject("policy").put("maxPayload", MAX_PAYLOAD_BYTES)
                .put("maxBufferedBytes", ProtocolContext.MAX_BUFFERED_BYTES)
                .put("tickIntervalMs", ctx.tickIntervalMs());
        return hello;
    }

    static ObjectNode details(String code) {
        return Frames.JSON.createObjectNode().put("code", code);
    }

    void respond(String text) {
        outbox.send(text);
    }

    private void sendError(String id, ErrorShape error) {
        outbox.send(Frames.error(id, error));
    }

    @Override
    public String connId() {
        return connId;
    }

    @Override
    public Set<String> scopes() {
        return scopes;
    }

    @Override
    public void emit(String event, Object payload) {
        // seq is assigned under the outbox's order: numbering and queueing happen together.
        synchronized (this) {
            outbox.send(Frames.event(event, payload, ++seq));
        }
    }

    @Override
    public boolean isOpen() {
        Outbox o = outbox;
        return o != null && !o.isClosed();
    }

    private void close(int code, String reason) {
        outbox.close(code, reason);
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        gone();
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        gone();
    }

    private synchronized void gone() {
        if (outbox != null) {
            outbox.abandon();
        }
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        ctx.hub().leave(this);
        if (opened) {
            opened = false;
            ctx.metrics().connectionClosed();
        }
    }
}
