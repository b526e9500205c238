package ai.clawbot.host.models;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-provider cooldown after retryable failures: {@code initial} after the first, doubling with each further
 * consecutive failure, capped at {@code max}; a success clears it. Thread-safe; time comes from the clock.
 */
final class Cooldowns {

    private record State(int failures, Instant lastFailure, Instant until) {
    }

    private final Clock clock;
    private final Duration initial;
    private final Duration max;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    Cooldowns(Clock clock, Duration initial, Duration max) {
        this.clock = clock;
        this.initial = initial;
        this.max = max;
    }

    /** Records a failure now; returns how long the provider now cools down. */
    Duration recordFailure(String provider) {
        Instant now = clock.instant();
        State next = states.merge(provider, new State(1, now, now.plus(length(1))), (old, first) -> {
            int failures = old.failures() + 1;
            return new State(failures, now, now.plus(length(failures)));
        });
        return Duration.between(now, next.until());
    }

    void recordSuccess(String provider) {
        states.remove(provider);
    }

    /** How long the provider still cools down; empty when it may be called. */
    Optional<Duration> remaining(String provider) {
        State state = states.get(provider);
        Instant now = clock.instant();
        return state == null || !state.until().isAfter(now) ? Optional.empty()
                : Optional.of(Duration.between(now, state.until()));
    }

    /** When the provider last failed (Instant.MIN if never), to pick the least recently failed. */
    Instant lastFailure(String provider) {
        State state = states.get(provider);
        return state == null ? Instant.MIN : state.lastFailure();
    }

    /** Providers cooling down now, with the instant each may be called again. */
    Map<String, Instant> active() {
        Instant now = clock.instant();
        Map<String, Instant> out = new TreeMap<>();
        states.forEach((provider, state) -> {
            if (state.until().isAfter(now)) {
                out.put(provider, state.until());
            }
        });
        return out;
    }

    private Duration length(int failures) {
        // initial * 2^(failures-1), without overflowing for a long-dead provider.
        int doublings = Math.min(failures - 1, 30);
        Duration d = initial.multipliedBy(1L << doublings);
        return d.compareTo(max) > 0 || d.isNegative() ? max : d;
    }
}
