package ai.clawbot.host.gateway.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Locks out an address after too many failed authentication attempts (OpenClaw's
 * {@code gateway.auth.rateLimit{maxAttempts, windowMs, lockoutMs, exemptLoopback}}). The caller asks
 * {@link #check} before comparing credentials, then reports {@link #failure} or {@link #success}.
 *
 * <p>Keys: an IPv4 address (an IPv4-mapped IPv6 address is the same key), or an IPv6 address's /64 prefix,
 * because one IPv6 host is routinely handed a whole /64 and would otherwise get 2^64 fresh budgets.
 *
 * <p>Memory is bounded: at most {@code maxTracked} keys, least recently used evicted first, so an attacker
 * with many addresses cannot make it grow. Such an attacker can push a locked key out, but only by failing
 * from {@code maxTracked} other keys, each with its own budget, so eviction at most doubles what they get.
 *
 * <p>{@code check} then {@code failure} is not one atomic step: connections racing through {@code check} at the
 * same instant can each make one attempt. Locking itself is exact (one lock guards all state).
 */
public final class AuthRateLimiter {

    /** Default cap on tracked keys: ~10k entries of a few hundred bytes each. */
    public static final int DEFAULT_MAX_TRACKED = 10_000;

    /**
     * @param maxAttempts    failures within {@code window} that lock the key
     * @param window         how far back failures count (sliding)
     * @param lockout        how long a locked key stays locked
     * @param exemptLoopback whether loopback callers are never limited
     */
    public record Settings(int maxAttempts, Duration window, Duration lockout, boolean exemptLoopback) {

        public Settings {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(lockout, "lockout");
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("rateLimit.maxAttempts must be >= 1, not " + maxAttempts);
            }
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("rateLimit.window must be positive, not " + window);
            }
            if (lockout.isNegative() || lockout.isZero()) {
                throw new IllegalArgumentException("rateLimit.lockout must be positive, not " + lockout);
            }
        }

        /**
         * 10 failures a minute, then 5 minutes locked. Loopback is not exempt: any local process, and any web
         * page the user opens (a browser can reach 127.0.0.1), connects from loopback, and none of them may
         * brute-force the token either.
         */
        public static Settings defaults() {
            return new Settings(10, Duration.ofSeconds(60), Duration.ofMinutes(5), false);
        }
    }

    /** What {@link #check} says about an address. */
    public sealed interface Gate permits Open, Locked {
    }

    /** Attempts may go on. */
    public record Open() implements Gate {
    }

    /** Locked out; {@code retryAfterMs} (&ge; 1) until it opens again. */
    public record Locked(long retryAfterMs) implements Gate {
    }

    private static final Open OPEN = new Open();

    /** Failure times within the window (a ring of maxAttempts), or the end of a lockout. */
    private static final class Attempts {
        final long[] failures;
        int count;
        int head;
        long lockedUntil;

        Attempts(int capacity) {
            failures = new long[capacity];
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final long windowMs;
    private final long lockoutMs;
    private final Map<Key, Attempts> entries;

    private AuthRateLimiter(Settings settings, Clock clock, int maxTracked) {
        this.settings = settings;
        this.clock = clock;
        this.windowMs = settings.window().toMillis();
        this.lockoutMs = settings.lockout().toMillis();
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Attempts> eldest) {
                return size() > maxTracked;
            }
        };
    }

    public static AuthRateLimiter create() {
        return create(Settings.defaults(), Clock.systemUTC());
    }

    public static AuthRateLimiter create(Settings settings, Clock clock) {
        return create(settings, clock, DEFAULT_MAX_TRACKED);
    }

    /** @throws IllegalArgumentException if {@code maxTracked < 1} */
    public static AuthRateLimiter create(Settings settings, Clock clock, int maxTracked) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        if (maxTracked < 1) {
            throw new IllegalArgumentException("maxTracked must be >= 1, not " + maxTracked);
        }
        return new AuthRateLimiter(settings, clock, maxTracked);
    }

    public Settings settings() {
        return settings;
    }

    public Gate check(InetAddress address) {
        Key key = keyOf(address);
        if (key == null) {
            return OPEN;
        }
        long now = clock.millis();
        synchronized (entries) {
            Attempts e = entries.get(key);
            if (e == null) {
                return OPEN;
            }
            if (e.lockedUntil > now) {
                return new Locked(e.lockedUntil - now);
            }
            if (e.lockedUntil != 0 || prune(e, now) == 0) {
                entries.remove(key); // lockout over, or nothing left in the window: forget it
            }
            return OPEN;
        }
    }

    /** Counts a failed attempt; the {@code maxAttempts}-th within the window locks the address. */
    public void failure(InetAddress address) {
        Key key = keyOf(address);
        if (key == null) {
            return;
        }
        long now = clock.millis();
        synchronized (entries) {
            Attempts e = entries.get(key);
            if (e == null || e.lockedUntil != 0 && e.lockedUntil <= now) {
                e = new Attempts(settings.maxAttempts());
                entries.put(key, e);
            }
            if (e.lockedUntil > now) {
                return; // already locked; failures during the lockout do not extend it
            }
            prune(e, now);
            e.failures[(e.head + e.count) % e.failures.length] = now;
            e.count++;
            if (e.count >= settings.maxAttempts()) {
                e.lockedUntil = now + lockoutMs;
                e.count = 0;
                e.head = 0;
            }
        }
    }

    /** A successful authentication clears the address's failures (and any lockout, though check prevents that). */
    public void success(InetAddress address) {
        Key key = keyOf(address);
        if (key == null) {
            return;
        }
        synchronized (entries) {
            entries.remove(key);
        }
    }

    /** How many keys are tracked now (for metrics and tests). */
    public int trackedAddresses() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** Drops failures that slid out of the window; returns how many remain. */
    private int prune(Attempts e, long now) {
        while (e.count > 0 && now - e.failures[e.head] >= windowMs) {
            e.head = (e.head + 1) % e.failures.length;
            e.count--;
        }
        return e.count;
    }

    /** {@code null} means: not limited (exempt loopback). */
    private Key keyOf(InetAddress address) {
        Objects.requireNonNull(address, "address");
        if (settings.exemptLoopback() && BindPolicy.isLoopback(address)) {
            return null;
        }
        return Key.of(address);
    }

    /**
     * An IPv4 address, or an IPv6 /64 prefix (scope id dropped). Its hash is keyed with a random seed, so
     * addresses an attacker picks cannot be chosen to collide into one hash bucket.
     */
    private record Key(long bits, boolean v6) {

        private static final long SEED = new SecureRandom().nextLong();

        static Key of(InetAddress address) {
            byte[] b = address.getAddress();
            if (address instanceof Inet6Address && !BindPolicy.isIpv4Mapped(b)) {
                return new Key(ByteBuffer.wrap(b, 0, 8).getLong(), true);
            }
            return new Key(ByteBuffer.wrap(b, b.length - 4, 4).getInt() & 0xFFFF_FFFFL, false);
        }

        @Override
        public int hashCode() {
            long z = bits ^ SEED ^ (v6 ? 0x9E37_79B9_7F4A_7C15L : 0); // splitmix64's finaliser
            z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
            return Long.hashCode(z ^ (z >>> 31));
        }
    }
}
