package ai.clawbot.host.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.host.gateway.auth.AuthRateLimiter.Locked;
import ai.clawbot.host.gateway.auth.AuthRateLimiter.Open;
import ai.clawbot.host.gateway.auth.AuthRateLimiter.Settings;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthRateLimiterTest {

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        final AtomicLong millis = new AtomicLong(1_000_000);

        void advance(long ms) {
            millis.addAndGet(ms);
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private final TestClock clock = new TestClock();
    private final AuthRateLimiter limiter = AuthRateLimiter.create(Settings.defaults(), clock);

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: never a lookup
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void fail(InetAddress a, int times) {
        for (int i = 0; i < times; i++) {
            limiter.failure(a);
        }
    }

    @Test
    void defaultsAreTenAMinuteThenFiveMinutesAndLoopbackIsNotExempt() {
        assertThat(Settings.defaults()).isEqualTo(new Settings(10, Duration.ofSeconds(60), Duration.ofMinutes(5), false));
        InetAddress local = ip("127.0.0.1");
        fail(local, 10);
        assertThat(limiter.check(local)).isInstanceOf(Locked.class);
    }

    @Test
    void locksExactlyAtTheTenthFailureAndCountsDown() {
        InetAddress a = ip("203.0.113.7");
        fail(a, 9);
        assertThat(limiter.check(a)).isInstanceOf(Open.class);
        limiter.failure(a);
        assertThat(limiter.check(a)).isEqualTo(new Locked(300_000));
        clock.advance(1_000);
        assertThat(limiter.check(a)).isEqualTo(new Locked(299_000));
        clock.advance(298_999);
        assertThat(limiter.check(a)).isEqualTo(new Locked(1));
        // Failures during a lockout do not extend it.
        fail(a, 50);
        clock.advance(1);
        assertThat(limiter.check(a)).isInstanceOf(Open.class);
        // After the lockout the budget is whole again.
        fail(a, 9);
        assertThat(limiter.check(a)).isInstanceOf(Open.class);
        limiter.failure(a);
        assertThat(limiter.check(a)).isInstanceOf(Locked.class);
    }

    @Test
    void successClearsTheFailures() {
        InetAddress a = ip("198.51.100.1");
        fail(a, 9);
        limiter.success(a);
        fail(a, 9);
        assertThat(limiter.check(a)).isInstanceOf(Open.class);
        limiter.failure(a);
        assertThat(limiter.check(a)).isInstanceOf(Locked.class);
    }

    @Test
    void theWindowSlides() {
        InetAddress a = ip("198.51.100.2");
        fail(a, 5);                 // t = 0
        clock.advance(30_000);
        fail(a, 4);                 // t = 30 s: 9 in the window
        clock.advance(29_999);      // t = 59.999 s: the first five still count
        limiter.failure(a);
        assertThat(limiter.check(a)).isInstanceOf(Locked.class);

        InetAddress b = ip("198.51.100.3");
        clock.advance(1_000_000);
        fail(b, 5);
        clock.advance(30_000);
        fail(b, 4);
        clock.advance(30_000);      // the first five slide out
        limiter.failure(b);         // 5 in the window
        assertThat(limiter.check(b)).isInstanceOf(Open.class);
        fail(b, 4);
        assertThat(limiter.check(b)).isInstanceOf(Open.class);
        limiter.failure(b);
        assertThat(limiter.check(b)).isInstanceOf(Locked.class);
    }

    @Test
    void otherAddressesAreUnaffectedButOneHostIsOneKey() throws Exception {
        InetAddress a = ip("192.0.2.10");
        fail(a, 10);
        assertThat(limiter.check(a)).isInstanceOf(Locked.class);
        assertThat(limiter.check(ip("192.0.2.11"))).isInstanceOf(Open.class);
        assertThat(limiter.check(ip("2001:db8:1:2::10"))).isInstanceOf(Open.class);

        // IPv4-mapped IPv6 (as a dual-stack socket reports it) is the same key as plain IPv4.
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(a.getAddress(), 0, mapped, 12, 4);
        InetAddress v6 = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(v6).isInstanceOf(Inet6Address.class);
        assertThat(limiter.check(v6)).isInstanceOf(Locked.class);
        limiter.success(v6);
        assertThat(limiter.check(a)).isInstanceOf(Open.class);

        // An IPv6 host owns its /64: hopping addresses inside it does not buy new attempts.
        for (int i = 1; i <= 10; i++) {
            limiter.failure(ip("2001:db8:1:2::" + Integer.toHexString(i * 4099)));
        }
        assertThat(limiter.check(ip("2001:db8:1:2:ffff::1"))).isInstanceOf(Locked.class);
        assertThat(limiter.check(ip("2001:db8:1:3::1"))).isInstanceOf(Open.class);
    }

    @Test
    void loopbackCanBeExempted() {
        AuthRateLimiter exempt = AuthRateLimiter.create(new Settings(2, Duration.ofMinutes(1), Duration.ofMinutes(1), true), clock);
        for (String local : List.of("127.0.0.1", "::1", "127.8.9.10")) {
            for (int i = 0; i < 10; i++) {
                exempt.failure(ip(local));
            }
            assertThat(exempt.check(ip(local))).isInstanceOf(Open.class);
        }
        exempt.failure(ip("10.0.0.1"));
        exempt.failure(ip("10.0.0.1"));
        assertThat(exempt.check(ip("10.0.0.1"))).isInstanceOf(Locked.class);
        assertThat(exempt.trackedAddresses()).isEqualTo(1);
    }

    @Test
    void memoryStaysBoundedUnder100kDistinctAddresses() {
        for (int i = 0; i < 100_000; i++) {
            limiter.failure(ip("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)));
            limiter.failure(ip("2001:db8:" + Integer.toHexString(i >> 16) + ":" + Integer.toHexString(i & 0xFFFF) + "::1"));
            assertThat(limiter.trackedAddresses()).isLessThanOrEqualTo(AuthRateLimiter.DEFAULT_MAX_TRACKED);
        }
        assertThat(limiter.trackedAddresses()).isEqualTo(AuthRateLimiter.DEFAULT_MAX_TRACKED);
    }

    @Test
    void evictionDropsTheLeastRecentlySeenNotTheOldestLocked() {
        AuthRateLimiter small = AuthRateLimiter.create(new Settings(1, Duration.ofMinutes(1), Duration.ofMinutes(5), false), clock, 3);
        InetAddress a = ip("10.0.0.1");
        small.failure(a);
        small.failure(ip("10.0.0.2"));
        small.failure(ip("10.0.0.3"));
        assertThat(small.check(a)).isInstanceOf(Locked.class); // touches a
        small.failure(ip("10.0.0.4"));                       // evicts .2, the least recently seen
        assertThat(small.check(a)).isInstanceOf(Locked.class);
        assertThat(small.check(ip("10.0.0.2"))).isInstanceOf(Open.class);
        assertThat(small.trackedAddresses()).isEqualTo(3);
    }

    @Test
    void expiredEntriesAreForgottenWhenSeen() {
        InetAddress a = ip("10.9.9.9");
        fail(a, 3);
        clock.advance(61_000);
        assertThat(limiter.check(a)).isInstanceOf(Open.class);
        assertThat(limiter.trackedAddresses()).isZero();
    }

    @Test
    void concurrentFailuresLockExactlyAtTheLimit() throws Exception {
        AuthRateLimiter big = AuthRateLimiter.create(new Settings(800, Duration.ofHours(1), Duration.ofHours(1), false), clock);
        InetAddress a = ip("203.0.113.99");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 99; i++) {
                        big.failure(a);
                        big.check(a);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            for (int i = 0; i < 7; i++) {
                big.failure(a);
            }
            assertThat(big.check(a)).as("799 failures").isInstanceOf(Open.class);
            big.failure(a);
            assertThat(big.check(a)).as("800 failures").isInstanceOf(Locked.class);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aConcurrentFloodFromManyAddressesNeitherThrowsNorOutgrowsTheCap() throws Exception {
        AuthRateLimiter small = AuthRateLimiter.create(Settings.defaults(), clock, 500);
        InetAddress victim = ip("192.0.2.200");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                done.add(pool.submit(() -> {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    for (int i = 0; i < 20_000; i++) {
                        InetAddress a = ip("10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256));
                        switch (r.nextInt(4)) {
                            case 0 -> small.success(a);
                            case 1 -> small.check(a);
                            default -> small.failure(a);
                        }
                        if (i % 1000 == 0) {
                            small.failure(victim);
                            clock.advance(1);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(small.trackedAddresses()).isLessThanOrEqualTo(500);
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new Settings(0, Duration.ofMinutes(1), Duration.ofMinutes(1), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new Settings(1, Duration.ZERO, Duration.ofMinutes(1), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> new Settings(1, Duration.ofMinutes(1), Duration.ofSeconds(-1), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lockout");
        assertThatThrownBy(() -> AuthRateLimiter.create(Settings.defaults(), clock, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
