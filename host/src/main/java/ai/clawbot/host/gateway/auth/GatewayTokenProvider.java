package ai.clawbot.host.gateway.auth;

import ai.clawbot.host.observe.GatewayMetrics;
import io.helidon.security.AuthenticationResponse;
import io.helidon.security.Principal;
import io.helidon.security.ProviderRequest;
import io.helidon.security.SecurityResponse.SecurityStatus;
import io.helidon.security.spi.AuthenticationProvider;
import java.net.InetAddress;
import java.util.List;

/**
 * The Helidon Security authentication provider of the gateway's HTTP endpoints: the gateway token as
 * {@code Authorization: Bearer <token>}, through the {@link TokenGate} the WebSocket door uses too (same
 * comparison, same lockout). A locked-out address gets 429 with {@code Retry-After}; a missing or wrong token
 * gets 401 with {@code WWW-Authenticate: Bearer}, counts towards the lockout and in
 * {@code clawbot_auth_failures_total{reason="http_bearer"}}.
 */
public final class GatewayTokenProvider implements AuthenticationProvider {

    /** The environment attribute carrying the caller's address (an {@link InetAddress}). */
    public static final String PEER = "clawbot.peer";
    /** The authenticated principal: whoever holds the gateway token is the operator. */
    public static final String OPERATOR = "operator";

    private final TokenGate gate;
    private final GatewayMetrics metrics;

    private GatewayTokenProvider(TokenGate gate, GatewayMetrics metrics) {
        this.gate = gate;
        this.metrics = metrics;
    }

    public static GatewayTokenProvider create(TokenGate gate, GatewayMetrics metrics) {
        return new GatewayTokenProvider(gate, metrics);
    }

    @Override
    public AuthenticationResponse authenticate(ProviderRequest request) {
        if (!(request.env().abacAttributeRaw(PEER) instanceof InetAddress peer)) {
            return failure(401, "no caller address", List.of());
        }
        List<String> values = request.env().headers().getOrDefault("Authorization", List.of());
        String h = values.size() == 1 ? values.get(0) : "";
        String token = h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
        return switch (gate.check(peer, token, true)) {
            case TokenGate.Decision.Admitted a -> {
                gate.succeeded(peer);
                yield AuthenticationResponse.success(Principal.create(OPERATOR));
            }
            case TokenGate.Decision.Locked l -> failure(429, "too many failed authentication attempts",
                    List.of("Retry-After", String.valueOf((l.retryAfterMs() + 999) / 1000)));
            case TokenGate.Decision.Missing m -> unauthorized();
            case TokenGate.Decision.Mismatch m -> unauthorized();
        };
    }

    private AuthenticationResponse unauthorized() {
        metrics.authFailure("http_bearer");
        return failure(401, "send the gateway token as Authorization: Bearer <token>", List.of("WWW-Authenticate", "Bearer"));
    }

    private static AuthenticationResponse failure(int status, String message, List<String> header) {
        AuthenticationResponse.Builder b = AuthenticationResponse.builder().status(SecurityStatus.FAILURE)
                .statusCode(status).description(message);
        if (!header.isEmpty()) {
            b.responseHeader(header.get(0), header.get(1));
        }
        return b.build();
    }
}
