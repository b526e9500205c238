package ai.clawbot.host.gateway;

import ai.clawbot.host.gateway.auth.BindPolicy;
import ai.clawbot.host.gateway.auth.GatewayTokenProvider;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.security.AuthenticationResponse;
import io.helidon.security.Security;
import io.helidon.security.SecurityContext;
import io.helidon.security.SecurityEnvironment;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Authentication of the HTTP endpoints by Helidon Security, with one provider ({@link GatewayTokenProvider}: the
 * gateway token as a bearer, the shared lockout and metrics). A route is protected by registering the guard in
 * front of it, one line per route:
 *
 * <pre>{@code
 * auth.protect(routing, "/mcp/*", refusal);          // every method under /mcp
 * auth.protectUnlessLoopback(routing, "/metrics", r); // loopback callers pass without the token
 * }</pre>
 *
 * On success the request continues to the route's handler with the authenticated {@link SecurityContext} in the
 * request context; on failure the {@link HttpEndpoints.Refusal} words the provider's answer (status, headers and
 * message) in the endpoint's own error format. (Helidon 4.2's {@code SecurityFeature} answers failures with an
 * empty body, which would break the OpenAI-shaped errors of {@code /v1}, so the guard calls Security itself.)
 */
final class HttpAuth {

    private final Security security;

    private HttpAuth(Security security) {
        this.security = security;
    }

    static HttpAuth create(ProtocolContext ctx) {
        return new HttpAuth(Security.builder()
                .addAuthenticationProvider(GatewayTokenProvider.create(ctx.tokenGate(), ctx.metrics()), "gateway-token")
                .build());
    }

    /** Guards every method of {@code pathPattern}: register it before the route's own handlers. */
    void protect(HttpRouting.Builder routing, String pathPattern, HttpEndpoints.Refusal refusal) {
        routing.any(pathPattern, guard(refusal, false));
    }

    /** As {@link #protect}, but loopback callers pass without the token (a local Prometheus scraper). */
    void protectUnlessLoopback(HttpRouting.Builder routing, String pathPattern, HttpEndpoints.Refusal refusal) {
        routing.any(pathPattern, guard(refusal, true));
    }

    Handler guard(HttpEndpoints.Refusal refusal, boolean loopbackExempt) {
        return (req, res) -> {
            if ((loopbackExempt && BindPolicy.isLoopback(HttpEndpoints.peer(req))) || admit(req, res, refusal)) {
                res.next();
            }
        };
    }

    /** Authenticates the request; false when refused (the refusal already sent). */
    boolean admit(ServerRequest req, ServerResponse res, HttpEndpoints.Refusal refusal) {
        InetAddress peer = HttpEndpoints.peer(req);
        SecurityEnvironment.Builder env = SecurityEnvironment.builder(security.serverTime())
                .path(req.path().path())
                .method(req.prologue().method().text())
                .addAttribute(GatewayTokenProvider.PEER, peer);
        List<String> authorization = req.headers().all(HeaderNames.AUTHORIZATION, List::of);
        if (!authorization.isEmpty()) {
            env.header("Authorization", authorization);
        }
        SecurityContext context = security.contextBuilder(UUID.randomUUID().toString()).env(env.build()).build();
        AuthenticationResponse answer = context.atnClientBuilder().submit();
        if (answer.status().isSuccess()) {
            req.context().register(context);
            return true;
        }
        for (Map.Entry<String, List<String>> h : answer.responseHeaders().entrySet()) {
            res.header(HeaderNames.create(h.getKey()), h.getValue().toArray(String[]::new));
        }
        int code = answer.statusCode().orElse(401);
        refusal.send(res, Status.create(code), code == 429 ? "rate_limited" : "invalid_api_key",
                answer.description().orElse("unauthorized"));
        return false;
    }
}
