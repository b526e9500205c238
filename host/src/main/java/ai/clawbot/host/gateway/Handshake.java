package ai.clawbot.host.gateway;

import ai.clawbot.host.gateway.auth.TokenGate;
import ai.clawbot.host.gateway.auth.DeviceCheck;
import ai.clawbot.host.gateway.auth.DeviceProof;
import ai.clawbot.host.gateway.auth.OriginCheck;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides a {@code connect} request: readiness, protocol range, browser origin, failed-auth lockout, token,
 * role, scopes and (when sent) the Ed25519 device proof. Cheap, secret-free checks come first; every token or
 * device failure counts towards the lockout of the caller's address.
 */
final class Handshake {

    static final int PROTOCOL = 4;
    private static final System.Logger LOG = System.getLogger(Handshake.class.getName());

    /** What the handshake decided. */
    sealed interface Outcome permits Accepted, Refused {
    }

    record Accepted(Set<String> scopes, String deviceId, String clientId, String clientMode) implements Outcome {
    }

    record Refused(ErrorShape error, String closeReason) implements Outcome {
    }

    /** The connection facts the server knows before the client says anything. */
    record Peer(String connId, InetAddress address, String origin, String host, String nonce, long challengeTs) {
    }

    private final ProtocolContext ctx;

    Handshake(ProtocolContext ctx) {
        this.ctx = ctx;
    }

    Outcome decide(Frames.Request req, Peer peer) {
        if (!"connect".equals(req.method())) {
            return refused("INVALID_REQUEST", "the first request must be 'connect'", null, "expected connect");
        }
        switch (ctx.readiness().state()) {
            case STARTING -> {
                return new Refused(ErrorShape.of("UNAVAILABLE", "the gateway is starting; retry shortly",
                        GatewaySocket.details("STARTING")).retryable(500), "starting");
            }
            case DRAINING -> {
                return new Refused(ErrorShape.of("UNAVAILABLE", "the gateway is shutting down",
                        GatewaySocket.details("SHUTTING_DOWN")).retryable(2000), "shutting down");
            }
            case READY -> {
                // go on
            }
        }
        JsonNode p = req.params();
        if (ctx.origins().check(peer.origin(), peer.host()) instanceof OriginCheck.Refused o) {
            LOG.log(System.Logger.Level.WARNING, "connection " + peer.connId() + " refused: origin not allowed (" + o.reason() + ")");
            ctx.metrics().authFailure("origin");
            return refused("INVALID_REQUEST", "origin not allowed: " + o.reason()
                    + "; add it to gateway.controlUi.allowedOrigins to allow it", "ORIGIN_NOT_ALLOWED", "origin not allowed");
        }
        JsonNode token = p.path("auth").path("token");
        switch (ctx.tokenGate().check(peer.address(), token.isTextual() ? token.asText() : null, false)) {
            case TokenGate.Decision.Locked locked -> {
                ctx.metrics().authFailure("locked");
                return new Refused(ErrorShape.of("INVALID_REQUEST",
                        "unauthorized: too many failed authentication attempts; retry in " + (locked.retryAfterMs() + 999) / 1000 + " s",
                        GatewaySocket.details("AUTH_RATE_LIMITED")).retryable(locked.retryAfterMs()), "rate limited");
            }
            case TokenGate.Decision.Missing missing -> {
                ctx.metrics().authFailure("token_missing");
                return new Refused(ErrorShape.of("INVALID_REQUEST", "unauthorized: gateway token missing",
                        GatewaySocket.details("AUTH_TOKEN_MISSING").put("recommendedNextStep",
                                "open the Control UI URL `claw gateway` printed (it carries the token), or send auth.token")),
                        "unauthorized");
            }
            case TokenGate.Decision.Mismatch mismatch -> {
                ctx.metrics().authFailure("token_mismatch");
                LOG.log(System.Logger.Level.WARNING, "connection " + peer.connId() + " from " + peer.address().getHostAddress()
                        + " refused: wrong gateway token");
                return refused("INVALID_REQUEST", "unauthorized: gateway token mismatch", "AUTH_TOKEN_MISMATCH", "unauthorized");
            }
            case TokenGate.Decision.Admitted admitted -> {
                // go on: protocol, role, device
            }
        }
        Refused bad = protocolRange(p);
        if (bad != null) {
            return bad;
        }
        String role = p.path("role").asText("operator");
        if (!role.equals("operator")) {
            return refused("INVALID_REQUEST", "role '" + shorten(role) + "' is not supported; connect as 'operator'",
                    "ROLE_UNSUPPORTED", "unsupported role");
        }
        // The token grants every operator scope; a client may ask for fewer (least privilege), never more.
        List<String> asked = new ArrayList<>();
        if (p.path("scopes").isArray()) {
            p.path("scopes").forEach(x -> asked.add(x.asText()));
        }
        Set<String> granted = new TreeSet<>(Scopes.OPERATOR);
        if (!asked.isEmpty()) {
            granted.retainAll(asked);
        }
        JsonNode client = p.path("client");
        String clientId = client.path("id").asText("");
        String clientMode = client.path("mode").asText("");
        String deviceId = null;
        Optional<DeviceProof> proof;
        try {
            proof = DeviceProof.from(p.get("device"));
        } catch (IllegalArgumentException e) {
            ctx.limiter().failure(peer.address());
            return refused("INVALID_REQUEST", "device identity malformed: " + e.getMessage(), "DEVICE_AUTH_INVALID", "device auth");
        }
        if (proof.isPresent()) {
            DeviceCheck check = ctx.devices().verify(proof.get(), peer.nonce(),
                    new ai.clawbot.host.gateway.auth.ClientInfo(clientId, clientMode, client.path("platform").asText(""),
                            client.path("deviceFamily").asText("")),
                    role, asked, token.asText(), System.currentTimeMillis());
            if (check instanceof DeviceCheck.Refused r) {
                ctx.limiter().failure(peer.address());
                ctx.metrics().authFailure("device");
                return refused("INVALID_REQUEST", "device identity refused: " + r.message(), r.code(), "device auth");
            }
            deviceId = ((DeviceCheck.Verified) check).deviceId();
        }
        ctx.limiter().success(peer.address());
        return new Accepted(Set.copyOf(granted), deviceId, clientId, clientMode);
    }

    private static Refused protocolRange(JsonNode p) {
        JsonNode minNode = p.path("minProtocol");
        JsonNode maxNode = p.path("maxProtocol");
        boolean badType = !(minNode.isMissingNode() || minNode.isIntegralNumber() && minNode.canConvertToInt())
                || !(maxNode.isMissingNode() || maxNode.isIntegralNumber() && maxNode.canConvertToInt());
        if (badType) {
            return new Refused(ErrorShape.of("INVALID_REQUEST", "minProtocol and maxProtocol must be small integers",
                    GatewaySocket.details("PROTOCOL_UNSUPPORTED").put("serverProtocol", PROTOCOL)), "protocol mismatch");
        }
        int min = minNode.isMissingNode() ? PROTOCOL : minNode.asInt();
        int max = maxNode.isMissingNode() ? PROTOCOL : maxNode.asInt();
        if (min > PROTOCOL || max < PROTOCOL) {
            return new Refused(ErrorShape.of("INVALID_REQUEST", "protocol range [" + min + ", " + max
                    + "] does not include " + PROTOCOL + ", the only version this gateway speaks",
                    GatewaySocket.details("PROTOCOL_UNSUPPORTED").put("serverProtocol", PROTOCOL)), "protocol mismatch");
        }
        return null;
    }

    private static Refused refused(String code, String message, String detailCode, String closeReason) {
        ObjectNode d = detailCode == null ? null : GatewaySocket.details(detailCode);
        return new Refused(ErrorShape.of(code, message, d), closeReason);
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
