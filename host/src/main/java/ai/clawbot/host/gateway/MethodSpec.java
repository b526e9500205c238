package ai.clawbot.host.gateway;

import java.util.Objects;

/**
 * A callable method: its name, the scope it needs, whether it changes state (then a repeated
 * {@code idempotencyKey} replays the first result instead of running again), and its handler.
 */
public record MethodSpec(String name, String scope, boolean sideEffect, ClientMethod handler) {

    public MethodSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        if (!Scopes.OPERATOR.contains(scope)) {
            throw new IllegalArgumentException("unknown scope " + scope);
        }
    }

    public static MethodSpec read(String name, Method m) {
        return new MethodSpec(name, Scopes.READ, false, call -> m.handle(call.params()));
    }

    public static MethodSpec write(String name, Method m) {
        return new MethodSpec(name, Scopes.WRITE, true, call -> m.handle(call.params()));
    }

    public static MethodSpec admin(String name, Method m) {
        return new MethodSpec(name, Scopes.ADMIN, true, call -> m.handle(call.params()));
    }
}
