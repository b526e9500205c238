package ai.clawbot.host.policy;

import ai.clawbot.plugin.manifest.Effect;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tool calls waiting for an operator. Each request completes exactly once: approved or denied by
 * {@link #resolve}, approved at once by a pre-approval, denied at once when the queue is full or closed,
 * or {@link ApprovalDecision.TimedOut} (a refusal) when nobody answers in time. Every outcome is kept in a
 * bounded history and audited. Thread-safe: one lock guards the state; futures complete, audits are
 * written and listeners run outside it, listeners on one event thread in the order events happened.
 */
public final class ApprovalQueue implements AutoCloseable {

    public static final int DEFAULT_MAX_PENDING = 1000;
    public static final int DEFAULT_HISTORY = 200;
    /** Longer waits are refused: nobody approves a week-old call knowingly, and it bounds the timer math. */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(7);
    static final int MAX_BY = 100;

    private static final Logger LOG = Logger.getLogger(ApprovalQueue.class.getName());

    private record Waiting(ApprovalRequest request, CompletableFuture<ApprovalDecision> future,
                           ScheduledFuture<?> timer) {
    }

    private final PolicyAudit audit;
    private final Clock clock;
    private final int maxPending;
    private final int historySize;
    private final Object lock = new Object();
    private final List<ApprovalListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Waiting> pending = new LinkedHashMap<>();
    private final ArrayDeque<Resolved> history = new ArrayDeque<>();
    private final ScheduledThreadPoolExecutor timers;
    private final ExecutorService events;
    private boolean closed;

    private ApprovalQueue(PolicyAudit audit, Clock clock, int maxPending, int historySize) {
        this.audit = audit;
        this.clock = clock;
        this.maxPending = maxPending;
        this.historySize = historySize;
        this.timers = new ScheduledThreadPoolExecutor(1, daemon("approval-timeouts"));
        this.timers.setRemoveOnCancelPolicy(true);
        this.events = Executors.newSingleThreadExecutor(daemon("approval-events"));
    }

    /** A queue with the default bounds; {@code audit} may be null (tests). */
    public static ApprovalQueue create(PolicyAudit audit) {
        return create(audit, Clock.systemUTC(), DEFAULT_MAX_PENDING, DEFAULT_HISTORY);
    }

    public static ApprovalQueue create(PolicyAudit audit, Clock clock, int maxPending, int historySize) {
        if (maxPending < 1 || historySize < 1) {
            throw new IllegalArgumentException("maxPending and historySize must be >= 1");
        }
        return new ApprovalQueue(audit, Objects.requireNonNull(clock, "clock"), maxPending, historySize);
    }

    /** Tools whose effect reaches outside the sandbox or uses secrets wait for an operator. */
    public static boolean needsApproval(Effect effect) {
        return effect == Effect.EXTERNAL || effect == Effect.SECRET;
    }

    /** Decides requests another gateway holds (they share a store); consulted only for ids this queue never saw. */
    @FunctionalInterface
    public interface Elsewhere {
        Resolution resolve(String id, ApprovalDecision decision);

        /** The requests other gateways are waiting on, oldest first. */
        default List<ApprovalRequest> pending() {
            return List.of();
        }
    }

    private volatile Elsewhere elsewhere;

    public void decideElsewhereWith(Elsewhere e) {
        this.elsewhere = e;
    }

    public void addListener(ApprovalListener l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
    }

    public CompletableFuture<ApprovalDecision> request(ApprovalRequest req, Duration timeout) {
        return request(req, timeout, PreApprovals.none());
    }

    /**
     * Queues {@code req} for an operator, or decides it at once (pre-approved, queue full, queue closed).
     *
     * @throws IllegalArgumentException for a timeout not in (0, {@link #MAX_TIMEOUT}], or an id already queued
     *                                  or in the history
     */
    public CompletableFuture<ApprovalDecision> request(ApprovalRequest req, Duration timeout, PreApprovals pre) {
        Objects.requireNonNull(req, "request");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("approval timeout must be positive and at most " + MAX_TIMEOUT
                    + ", got " + timeout);
        }
        ApprovalRequest q = req.queued(clock.instant(), timeout);
        CompletableFuture<ApprovalDecision> future = new CompletableFuture<>();
        ApprovalDecision immediate;
        Resolved done;
        synchronized (lock) {
            if (pending.containsKey(q.id()) || findResolved(q.id()) != null) {
                throw new IllegalArgumentException("approval id " + PolicyNames.quote(q.id()) + " was already used");
            }
            if (closed) {
                immediate = new ApprovalDecision.Denied(ApprovalDecision.Denied.SYSTEM, "approvals are closed");
            } else if (pre != null && pre.covers(q.skill(), q.tool(), q.args())) {
                immediate = new ApprovalDecision.Approved(ApprovalDecision.Approved.PRE_APPROVED);
            } else if (pending.size() >= maxPending) {
                immediate = new ApprovalDecision.Denied(ApprovalDecision.Denied.SYSTEM, "too many pending approvals");
            } else {
                ScheduledFuture<?> timer = timers.schedule(() -> expire(q.id(), timeout), timeout.toNanos(),
                        TimeUnit.NANOSECONDS);
                pending.put(q.id(), new Waiting(q, future, timer));
                emit(l -> l.requested(q));
                return future;
            }
            done = remember(q, immediate);
        }
        complete(done, future);
        return future;
    }

    /** The waiting requests, oldest first. */
    public List<ApprovalRequest> pending() {
        synchronized (lock) {
            return pending.values().stream().map(Waiting::request).toList();
        }
    }

    /** This queue's waiting requests, then those other gateways on the same store wait on (oldest first each). */
    public List<ApprovalRequest> pendingEverywhere() {
        List<ApprovalRequest> all = new ArrayList<>(pending());
        Elsewhere e = elsewhere;
        if (e != null) {
            java.util.Set<String> here = new java.util.HashSet<>();
            all.forEach(r -> here.add(r.id()));
            e.pending().stream().filter(r -> !here.contains(r.id())).forEach(all::add);
        }
        return all;
    }

    /** The last {@code n} outcomes, newest first (at most the history size). */
    public List<Resolved> recent(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        synchronized (lock) {
            List<Resolved> out = new ArrayList<>(Math.min(n, history.size()));
            for (Iterator<Resolved> it = history.descendingIterator(); it.hasNext() && out.size() < n; ) {
                out.add(it.next());
            }
            return out;
        }
    }

    /**
     * An operator's decision, {@code approve} or {@code deny} (exactly). The first decision wins; later ones
     * get {@link Resolution.AlreadyResolved} and change nothing.
     */
    public Resolution resolve(String id, String decision, String by) {
        ApprovalDecision d;
        String who = by == null || by.isBlank() ? "operator" : PolicyAudit.cut(by.strip(), MAX_BY);
        if ("approve".equals(decision)) {
            d = new ApprovalDecision.Approved(who);
        } else if ("deny".equals(decision)) {
            d = new ApprovalDecision.Denied(who, "the operator refused this call");
        } else {
            return new Resolution.InvalidDecision(decision);
        }
        return settle(id, d);
    }

    /**
     * Withdraws a pending request that no longer needs a decision (its run was aborted): denied by
     * {@value ApprovalDecision.Denied#SYSTEM} with {@code reason}, not recorded as an operator's refusal.
     */
    public Resolution withdraw(String id, String reason) {
        return settle(id, new ApprovalDecision.Denied(ApprovalDecision.Denied.SYSTEM, reason));
    }

    private Resolution settle(String id, ApprovalDecision d) {
        Waiting w;
        Resolved r;
        synchronized (lock) {
            w = id == null ? null : pending.remove(id);
            if (w == null) {
                Resolved done = id == null ? null : findResolved(id);
                if (done != null || id == null || elsewhere == null) {
                    return done != null ? new Resolution.AlreadyResolved(done) : new Resolution.UnknownId(id);
                }
                r = null;
            } else {
                w.timer().cancel(false);
                r = remember(w.request(), d);
            }
        }
        if (w == null) {
            return elsewhere.resolve(id, d); // not ours: perhaps another gateway's (outside the lock: a database call)
        }
        complete(r, w.future());
        return new Resolution.Ok(r);
    }

    /** Denies everything still waiting and stops the threads; later requests are denied at once. */
    @Override
    public void close() {
        List<Waiting> left;
        List<Resolved> done = new ArrayList<>();
        ApprovalDecision d = new ApprovalDecision.Denied(ApprovalDecision.Denied.SYSTEM,
                "the gateway is shutting down");
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            left = new ArrayList<>(pending.values());
            pending.clear();
            for (Waiting w : left) {
                w.timer().cancel(false);
                done.add(remember(w.request(), d));
            }
        }
        for (int i = 0; i < left.size(); i++) {
            complete(done.get(i), left.get(i).future());
        }
        timers.shutdownNow();
        events.shutdown(); // events already queued are still delivered
    }

    private void expire(String id, Duration after) {
        Waiting w;
        Resolved r;
        synchronized (lock) {
            w = pending.remove(id);
            if (w == null) {
                return; // resolved first
            }
            r = remember(w.request(), new ApprovalDecision.TimedOut(after));
        }
        complete(r, w.future());
    }

    /** Records an outcome in the history and queues its event; call with the lock held. */
    private Resolved remember(ApprovalRequest q, ApprovalDecision d) {
        Resolved r = new Resolved(q, d, clock.instant());
        history.addLast(r);
        while (history.size() > historySize) {
            history.removeFirst();
        }
        emit(l -> l.resolved(r));
        return r;
    }

    /** Outside the lock: the audit line (file I/O), then the waiting caller. */
    private void complete(Resolved r, CompletableFuture<ApprovalDecision> future) {
        if (audit != null) {
            audit.approval(r);
        }
        future.complete(r.decision());
    }

    private Resolved findResolved(String id) {
        for (Resolved r : history) {
            if (r.request().id().equals(id)) {
                return r;
            }
        }
        return null;
    }

    // Called with the lock held, so events are queued in the order the state changed.
    private void emit(java.util.function.Consumer<ApprovalListener> event) {
        if (listeners.isEmpty() || events.isShutdown()) {
            return;
        }
        events.execute(() -> {
            for (ApprovalListener l : listeners) {
                try {
                    event.accept(l);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "approval listener failed: " + e, e);
                }
            }
        });
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
