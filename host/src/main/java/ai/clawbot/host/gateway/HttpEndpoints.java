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
        InetAddress peer = peer(req);
        if (!BindPolicy.isLoopback(peer)) {
            if (ctx.limiter().check(peer) instanceof AuthRateLimiter.Locked locked) {
                res.header(HeaderNames.RETRY_AFTER, String.valueOf((locked.retryAfterMs() + 999) / 1000));
                res.status(Status.TOO_MANY_REQUESTS_429).send("too many failed authentication attempts\n");
                return;
            }
            if (!bearerMatches(req)) {
                ctx.limiter().failure(peer);
                ctx.metrics().authFailure("http_bearer");
                res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
                res.status(Status.UNAUTHORIZED_401).send("metrics need the gateway token (Authorization: Bearer ...)\n");
                return;
            }
        }
        GatewayServices s = services;
        if (s != null) {
            ctx.metrics().sandboxContainers(s.sandbox.liveContainers());
        }
        res.header(HeaderNames.CONTENT_TYPE, ctx.metrics().contentType());
        res.send(ctx.metrics().scrape());
    }

    boolean bearerMatches(ServerRequest req) {
        String h = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        return h.regionMatches(true, 0, "Bearer ", 0, 7) && ctx.auth().matches(h.substring(7).trim());
    }

    static InetAddress peer(ServerRequest req) {
        return req.remotePeer().address() instanceof InetSocketAddress a ? a.getAddress() : InetAddress.getLoopbackAddress();
    }
}
