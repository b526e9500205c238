package ai.clawbot.host.sandbox;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Warm containers by {@link PoolKey}: at most one per key, calls of one key serialised by the key's lock,
 * at most {@code maxLive} in all (the least recently used idle one makes room), and each stopped after
 * {@code idleTimeout} without calls.
 */
final class ContainerPool implements AutoCloseable {

    /** Starts a container for a key (the caller holds that key's lock). */
    @FunctionalInterface
    interface Starter {
        WarmContainer start() throws Exception;
    }

    /** Every live container is busy and the cap is reached. */
    static final class PoolFullException extends Exception {
        PoolFullException(int cap) {
            super("all " + cap + " sandbox containers are busy (sandbox.maxLive); try again shortly");
        }
    }

    private final int maxLive;
    private final Duration idleTimeout;
    private final Consumer<WarmContainer> discard;
    private final java.util.function.BiPredicate<WarmContainer, Duration> alive;
    private final Map<PoolKey, WarmContainer> warm = new ConcurrentHashMap<>();
    private final Map<PoolKey, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-idle-reaper");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param alive asked before a warm container is reused, with the time left to the caller: another process
     *              ({@code claw sandbox prune}, {@code docker rm}) may have removed it since its last call, and its
     *              streams may not have noticed yet
     */
    ContainerPool(int maxLive, Duration idleTimeout, Consumer<WarmContainer> discard,
                  java.util.function.BiPredicate<WarmContainer, Duration> alive) {
        this.maxLive = maxLive;
        this.idleTimeout = idleTimeout;
        this.discard = discard;
        this.alive = alive;
        long period = Math.max(200, Math.min(5_000, idleTimeout.toMillis() / 4));
        reaper.scheduleWithFixedDelay(this::reapIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * The warm container for a key, started if needed. On return the caller holds the key's lock and must
     * call {@link #release} exactly once.
     */
    WarmContainer acquire(PoolKey key, Starter starter, Duration wait) throws Exception {
        long until = System.nanoTime() + wait.toNanos();
        ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
        if (!lock.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new java.util.concurrent.TimeoutException("the previous call of this skill is still running");
        }
        try {
            WarmContainer wc = warm.get(key);
            if (wc != null && (!usable(wc) || !alive.test(wc, Duration.ofNanos(until - System.nanoTime())))) {
                warm.remove(key, wc);
                discard.accept(wc);
                wc = null;
            }
            if (wc == null) {
                discardSuperseded(key);
                makeRoom();
                wc = starter.start();
                warm.put(key, wc);
            }
            return wc;
        } catch (Exception | Error e) {
            lock.unlock();
            throw e;
        }
    }

    /** Ends a call: keeps the container warm, or drops it (timed out, flooded, broken). */
    void release(PoolKey key, WarmContainer wc, boolean keep) {
        try {
            if (keep && usable(wc)) {
                wc.used();
            } else {
                warm.remove(key, wc);
                discard.accept(wc);
            }
        } finally {
            locks.get(key).unlock();
        }
    }

    private static boolean usable(WarmContainer wc) {
        return !wc.dead() && !wc.transport.closed();
    }

    /**
     * Stops the idle containers of the same agent, scope and skill made for other permissions: a new key for them
     * means the configuration changed (a setting, a grant, a secret, a policy), and a container started under the
     * old one must not linger with, say, an egress proxy for a revoked grant. Busy ones end after their call.
     */
    private void discardSuperseded(PoolKey key) {
        for (Map.Entry<PoolKey, WarmContainer> e : warm.entrySet()) {
            PoolKey k = e.getKey();
            if (k.equals(key) || !k.agentId().equals(key.agentId()) || !k.scope().equals(key.scope())
                    || !k.skillId().equals(key.skillId())) {
                continue;
            }
            ReentrantLock other = locks.get(k);
            if (other != null && !other.isHeldByCurrentThread() && other.tryLock()) {
                try {
                    if (warm.remove(k, e.getValue())) {
                        discard.accept(e.getValue());
                    }
                } finally {
                    other.unlock();
                }
            }
        }
    }

    /** Below the cap, or evicts the least recently used idle container; throws when all are busy. */
    private void makeRoom() throws PoolFullException {
        while (warm.size() >= maxLive) {
            List<Map.Entry<PoolKey, WarmContainer>> byIdle = warm.entrySet().stream()
                    .sorted(Comparator.comparingLong((Map.Entry<PoolKey, WarmContainer> e) -> e.getValue().idleNanos()).reversed())
                    .toList();
            boolean evicted = false;
            for (Map.Entry<PoolKey, WarmContainer> e : byIdle) {
                ReentrantLock other = locks.get(e.getKey());
                if (other != null && !other.isHeldByCurrentThread() && other.tryLock()) {
                    try {
                        if (warm.remove(e.getKey(), e.getValue())) {
                            discard.accept(e.getValue());
                            evicted = true;
                            break;
                        }
                    } finally {
                        other.unlock();
                    }
                }
            }
            if (!evicted) {
                throw new PoolFullException(maxLive);
            }
        }
    }

    /** Stops every idle warm container now (busy ones finish their call first); returns how many. */
    int pruneIdle() {
        int n = 0;
        for (Map.Entry<PoolKey, WarmContainer> e : warm.entrySet()) {
            ReentrantLock lock = locks.get(e.getKey());
            if (lock == null || !lock.tryLock()) {
                continue;
            }
            try {
                if (warm.remove(e.getKey(), e.getValue())) {
                    discard.accept(e.getValue());
                    n++;
                }
            } finally {
                lock.unlock();
            }
        }
        return n;
    }

    /** The keys of the warm containers, with whether each is in a call right now. */
    Map<PoolKey, Boolean> snapshot() {
        Map<PoolKey, Boolean> out = new java.util.TreeMap<>(Comparator.comparing(PoolKey::label));
        warm.keySet().forEach(k -> {
            ReentrantLock l = locks.get(k);
            out.put(k, l != null && l.isLocked());
        });
        return out;
    }

    void reapIdle() {
        for (Map.Entry<PoolKey, WarmContainer> e : warm.entrySet()) {
            ReentrantLock lock = locks.get(e.getKey());
            if (lock == null || !lock.tryLock()) {
                continue; // in use
            }
            try {
                WarmContainer wc = e.getValue();
                if (!usable(wc) || wc.idleNanos() > idleTimeout.toNanos()) {
                    if (warm.remove(e.getKey(), wc)) {
                        discard.accept(wc);
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }

    int size() {
        return warm.size();
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        for (WarmContainer wc : warm.values()) {
            discard.accept(wc);
        }
        warm.clear();
    }
}
