package ai.clawbot.host.gateway;

/**
 * Where the gateway is in its life: {@code /readyz} answers 503 and {@code connect} a retryable
 * {@code UNAVAILABLE} unless it is {@link State#READY}.
 */
public final class Readiness {

    public enum State { STARTING, READY, DRAINING }

    private volatile State state = State.STARTING;

    public State state() {
        return state;
    }

    public boolean ready() {
        return state == State.READY;
    }

    void markReady() {
        if (state != State.DRAINING) {
            state = State.READY;
        }
    }

    void drain() {
        state = State.DRAINING;
    }
}
