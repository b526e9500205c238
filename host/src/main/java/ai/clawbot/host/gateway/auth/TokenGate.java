package ai.clawbot.host.gateway.auth;

import java.net.InetAddress;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The one gateway-token check of every door (the WebSocket {@code connect}, and HTTP through the Helidon Security
 * provider): the failed-auth lockout of the caller's address first, then the constant-time token comparison; a
 * failure counts towards the lockout whichever door it came through.
 */
public final class TokenGate {

    /** How a presented token fared. */
    public sealed interface Decision {
        record Admitted() implements Decision {
        }

        record Locked(long retryAfterMs) implements Decision {
        }

        record Missing() implements Decision {
        }

        record Mismatch() implements Decision {
        }
    }

    private final Predicate<String> matches;
    private final AuthRateLimiter limiter;

    private TokenGate(Predicate<String> matches, AuthRateLimiter limiter) {
        this.matches = Objects.requireNonNull(matches);
        this.limiter = Objects.requireNonNull(limiter);
    }

    /** @param matches the constant-time comparison with the gateway token */
    public static TokenGate create(Predicate<String> matches, AuthRateLimiter limiter) {
        return new TokenGate(matches, limiter);
    }

    /**
     * @param presented     the token the caller sent, or null/empty when none
     * @param missingCounts whether sending no token counts towards the lockout (HTTP: yes; the WebSocket
     *                      {@code connect} of a browser that lost its token: no)
     */
    public Decision check(InetAddress peer, String presented, boolean missingCounts) {
        if (limiter.check(peer) instanceof AuthRateLimiter.Locked locked) {
            return new Decision.Locked(locked.retryAfterMs());
        }
        if (presented == null || presented.isEmpty()) {
            if (missingCounts) {
                limiter.failure(peer);
            }
            return new Decision.Missing();
        }
        if (!matches.test(presented)) {
            limiter.failure(peer);
            return new Decision.Mismatch();
        }
        return new Decision.Admitted();
    }

    /** The caller is fully authenticated: its failures are forgotten. */
    public void succeeded(InetAddress peer) {
        limiter.success(peer);
    }
}
