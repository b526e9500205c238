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
 * draining. Metrics are open to loopback callers and need the gateway token (bearer) from anywhere else; the
 * {@code /v1} endpoints always need it. The token is checked by Helidon Security ({@link HttpAuth}), in front of
 * the handlers.
 */
final class HttpEndpoints {

    private static final System.Logger LOG = System.getLogger(HttpEndpoints.class.getName());

    private final ProtocolContext ctx;
    private final AtomicReference<GatewaySettings> settings;
    private final HttpAuth auth;
    private volatile Services services;

    HttpEndpoints(ProtocolContext ctx, AtomicReference<GatewaySettings> settings) {
        this.ctx = ctx;
        this.settings = settings;
        this.auth = HttpAuth.create(ctx);
    }


    void services(Services s) {
        this.services = s;
    }

    void routing(HttpRouting.Builder routing) {
        routing.get("/readyz", this::readyz);
        auth.protectUnlessLoopback(routing, "/metrics", HttpEndpoints::plainText);
        routing.get("/metrics", this::metrics);
        // Off means 404 for everyone, token or not; on, the token is checked before the handlers.
        OpenAiChatEndpoint.SWITCH.guard(routing, settings::get, "/v1/*");
        auth.protect(routing, "/v1/*", OpenAiChatEndpoint::error);
        routing.post("/v1/chat/completions", (req, res) -> new OpenAiChatEndpoint(ctx, settings.get(), services).handle(req, res));
        routing.get("/v1/models", (req, res) -> new OpenAiChatEndpoint(ctx, settings.get(), services).models(req, res));
        auth.protect(routing, "/api/voice/transcribe", VoiceEndpoint::error);
        routing.post("/api/voice/transcribe", (req, res) -> {
            Services s = services;
            if (s == null || s.voice() == null) {
                res.status(Status.SERVICE_UNAVAILABLE_503).send("the gateway is starting\n");
                return;
            }
            s.voice().handle(ctx, req, res);
        });
        new McpEndpoint(ctx, settings, () -> services).routing(routing, auth);
    }

    private void readyz(ServerRequest req, ServerResponse res) {
        Readiness.State state = ctx.readiness().state();
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderValues.CACHE_NO_CACHE);
        // A gateway whose shared store is unreachable must leave the load balancer's pool until it is back.
        Services s = services;
        String storeProblem = state == Readiness.State.READY && s != null ? s.storeProblem() : null;
        boolean ready = state == Readiness.State.READY && storeProblem == null;
        var body = Frames.JSON.createObjectNode().put("ready", ready)
                .put("status", storeProblem != null ? "store-unavailable" : state.name().toLowerCase(java.util.Locale.ROOT));
        if (storeProblem != null) {
            // The reason names the database's address: logged, not told to unauthenticated callers.
            LOG.log(System.Logger.Level.WARNING, "not ready: " + storeProblem);
        }
        res.status(ready ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503).send(body.toString());
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        Services s = services;
        if (s != null) {
            ctx.metrics().sandboxContainers(s.warmSandboxes());
        }
        res.header(HeaderNames.CONTENT_TYPE, ctx.metrics().contentType());
        res.send(ctx.metrics().scrape());
    }

    /** How an endpoint words a refusal (plain text here, OpenAI's error object on {@code /v1}). */
    @FunctionalInterface
    interface Refusal {
        void send(ServerResponse res, Status status, String code, String message);
    }

    private static void plainText(ServerResponse res, Status status, String code, String message) {
        res.status(status).send(message + "\n");
    }

    static InetAddress peer(ServerRequest req) {
        return req.remotePeer().address() instanceof InetSocketAddress a ? a.getAddress() : InetAddress.getLoopbackAddress();
    }
}
