package ai.clawbot.host.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Runs one authenticated request: finds the method, checks the scope it needs, de-duplicates side effects by
 * {@code idempotencyKey}, and answers with its payload or a typed error. An unexpected failure is logged with
 * its cause and answered with a generic {@code UNAVAILABLE}: internals never reach the client.
 */
final class Dispatcher {

    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

    private final ProtocolContext ctx;

    Dispatcher(ProtocolContext ctx) {
        this.ctx = ctx;
    }

    void dispatch(Frames.Request req, GatewaySocket socket) {
        long start = System.nanoTime();
        Optional<MethodSpec> found = ctx.methods().get().get(req.method());
        boolean ok = false;
        MethodCall call = null;
        try {
            if (found.isEmpty()) {
                String shown = req.method().length() > 80 ? req.method().substring(0, 80) + "…" : req.method();
                socket.respond(Frames.error(req.id(), ErrorShape.of("INVALID_REQUEST", "unknown method '" + shown + "'",
                        GatewaySocket.details("UNKNOWN_METHOD"))));
                return;
            }
            MethodSpec spec = found.get();
            if (!socket.has(spec.scope())) {
                ObjectNode d = GatewaySocket.details("MISSING_SCOPE").put("missingScope", spec.scope());
                d.putArray("requiredScopes").add(spec.scope());
                socket.respond(Frames.error(req.id(), ErrorShape.of("FORBIDDEN", req.method() + " needs scope " + spec.scope(), d)));
                return;
            }
            call = new MethodCall(req.id(), req.method(), req.params(), socket);
            String key = spec.sideEffect() ? IdempotencyCache.keyOf(req.params()) : null;
            Object payload = key == null ? spec.handler().handle(call)
                    : ctx.idempotency().run(req.method(), key, req.params(), spec.handler(), call);
            socket.respond(Frames.ok(req.id(), payload));
            ok = true;
            call.replied();
        } catch (GatewayException e) {
            socket.respond(Frames.error(req.id(), e.error()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "method " + req.method() + " failed", e);
            socket.respond(Frames.error(req.id(), ErrorShape.of("UNAVAILABLE", "internal error in " + req.method())));
        } finally {
            ctx.metrics().rpc(req.method(), found.isPresent(), ok, System.nanoTime() - start);
        }
    }
}
