package ai.clawbot.host.gateway;

import ai.clawbot.host.gateway.auth.AuthRateLimiter;
import ai.clawbot.host.gateway.auth.BindPolicy;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code /readyz}, {@code /metrics} and {@code POST /v1/chat/completions}. Readiness is 503 while starting or
 * draining. Metrics are open to loopback callers and need the gateway token (bearer) from anywhere else.
 */
final class HttpEndpoints {

    private final ProtocolContext ctx;
    private final AtomicReference<GatewaySettings> settings;
    private volatile GatewayServices services;

    HttpEndpoints(ProtocolContext ctx, AtomicReference<GatewaySettings> settings) {
        this.ctx = ctx;
        this.settings = settings;
    }

    void services(GatewayServices s) {
        this.services = s;
    }

    void routing(HttpRouting.Builder routing) {
        routing.get("/readyz", this::readyz);
        routing.get("/metrics", this::metrics);
        routing.post("/v1/chat/completions", (req, res) -> new OpenAiChatEndpoint(ctx, settings.get(), services).handle(req, res));
        routing.get("/v1/models", (req, res) -> new OpenAiChatEndpoint(ctx, settings.get(), services).models(req, res));
        new McpEndpoint(ctx, settings, () -> services).routing(routing);
    }

    private void readyz(ServerRequest req, ServerResponse res) {
        Readiness.State state = ctx.readiness().state();
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderValues.CACHE_NO_CACHE);
        String body = "{\"ready\":" + (state == Readiness.State.READY) + ",\"status\":\""
                + state.name().toLowerCase(java.util.Locale.ROOT) + "\"}";
        res.status(state == Readiness.State.READY ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503).send(body);
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        if (!BindPolicy.isLoopback(peer(req))
                && !admitBearer(ctx, req, res, (r, status, code, message) -> r.status(status).send(message + "\n"))) {
            return;
        }
        GatewayServices s = services;
        if (s != null) {
            ctx.metrics().sandboxContainers(s.sandbox.warm().size());
        }
        res.header(HeaderNames.CONTENT_TYPE, ctx.metrics().contentType());
        res.send(ctx.metrics().scrape());
    }

    /** How an endpoint words a refusal (plain text here, OpenAI's error object on {@code /v1}). */
    @FunctionalInterface
    interface Refusal {
        void send(ServerResponse res, Status status, String code, String message);
    }

    /**
     * The HTTP side of token auth, shared by every endpoint that takes a bearer: a locked-out address gets 429 with
     * {@code Retry-After}; a missing or wrong token gets 401, counts towards the lockout and in the metrics.
     */
    static boolean admitBearer(ProtocolContext ctx, ServerRequest req, ServerResponse res, Refusal refuse) {
        InetAddress peer = peer(req);
        if (ctx.limiter().check(peer) instanceof AuthRateLimiter.Locked locked) {
            res.header(HeaderNames.RETRY_AFTER, String.valueOf((locked.retryAfterMs() + 999) / 1000));
            refuse.send(res, Status.TOO_MANY_REQUESTS_429, "rate_limited", "too many failed authentication attempts");
            return false;
        }
        String h = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        if (!(h.regionMatches(true, 0, "Bearer ", 0, 7) && ctx.auth().matches(h.substring(7).trim()))) {
            ctx.limiter().failure(peer);
            ctx.metrics().authFailure("http_bearer");
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            refuse.send(res, Status.UNAUTHORIZED_401, "invalid_api_key",
                    "send the gateway token as Authorization: Bearer <token>");
            return false;
        }
        ctx.limiter().success(peer);
        return true;
    }

    static InetAddress peer(ServerRequest req) {
        return req.remotePeer().address() instanceof InetSocketAddress a ? a.getAddress() : InetAddress.getLoopbackAddress();
    }
}
