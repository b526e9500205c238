package ai.clawbot.host.gateway;

import ai.clawbot.host.gateway.auth.AuthRateLimiter;
import ai.clawbot.host.gateway.auth.DeviceVerifier;
import ai.clawbot.host.gateway.auth.OriginPolicy;
import ai.clawbot.host.gateway.auth.TokenGate;
import ai.clawbot.host.observe.GatewayMetrics;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every connection shares: auth, the method table (set once the gateway is ready), broadcasts,
 * de-duplication, executors and metrics.
 */
record ProtocolContext(TokenAuth auth, AuthRateLimiter limiter, OriginPolicy origins, DeviceVerifier devices,
                       AtomicReference<MethodTable> methods, EventHub hub, IdempotencyCache idempotency,
                       Readiness readiness, GatewayMetrics metrics, ExecutorService work,
                       ScheduledExecutorService timers, long tickIntervalMs) {

    static final int MAX_PREAUTH_BYTES = 64 * 1024;
    static final int MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;
    static final long MAX_BUFFERED_BYTES = 8L * 1024 * 1024;

    /** The one token comparison and lockout of every door (WebSocket {@code connect}, HTTP via Helidon Security). */
    TokenGate tokenGate() {
        return TokenGate.create(auth::matches, limiter);
    }
}
