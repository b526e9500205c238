package ai.clawbot.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.SocketTimeoutException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Many connected clients, each on a virtual thread with a bounded window of {@code health} requests in
 * flight: it tops the window up, flushes once, then reads every reply already buffered. Responses are
 * matched by id (events are skipped); a failed response, an unmatched id, a dropped connection or a reply
 * still missing 10 s after the stop all count as errors.
 */
final class LoadRun {

    /** The outcome; {@code rps} counts ok responses in the measured window only. */
    record Result(int connected, long setupMillis, long ok, long errors, double rps, long p50Nanos, long p99Nanos,
                  double serverCpuMicrosPerOk, double clientCpuMicrosPerOk, String firstError) {
    }

    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;

    private final int port;
    private final String token;
    private final int window;
    private final LongAdder ok = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Latencies latency = new Latencies();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private volatile int phase = WARMUP;

    private LoadRun(int port, String token, int window) {
        this.port = port;
        this.token = token;
        this.window = window;
    }

    /** {@code serverCpu}: the server process's CPU time so far (nanos), to charge it per response. */
    static Result run(int port, String token, BenchOptions o, LongSupplier serverCpu) throws InterruptedException {
        return new LoadRun(port, token, o.window()).go(o.clients(), o.warmup(), o.seconds(), serverCpu);
    }

    private Result go(int clients, int warmupSeconds, int seconds, LongSupplier serverCpu) throws InterruptedException {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        CountDownLatch connected = new CountDownLatch(clients);
        CountDownLatch start = new CountDownLatch(1);
        Semaphore connecting = new Semaphore(64); // stays well inside the server's accept backlog
        LongAdder up = new LongAdder();
        long t0 = System.nanoTime();
        try (ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                vt.submit(() -> client(connecting, connected, start, up));
            }
            if (!connected.await(120, TimeUnit.SECONDS)) {
                fail("clients still connecting after 120 s");
            }
            long setupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            start.countDown();
            Thread.sleep(warmupSeconds * 1000L);
            phase = MEASURE;
            long okBefore = ok.sum();
            long server0 = serverCpu.getAsLong();
            long client0 = os.getProcessCpuTime();
            long m0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long okAfter = ok.sum();
            long server1 = serverCpu.getAsLong();
            long client1 = os.getProcessCpuTime();
            double elapsed = (System.nanoTime() - m0) / 1e9;
            phase = STOP;
            vt.shutdown();
            vt.awaitTermination(30, TimeUnit.SECONDS);
            // Errors are counted over the whole run (warmup, drain and connects included): one is one too many.
            return new Result(up.intValue(), setupMillis, okAfter - okBefore, errors.sum(),
                    (okAfter - okBefore) / elapsed, latency.percentile(50), latency.percentile(99),
                    (server1 - server0) / 1e3 / Math.max(1, okAfter - okBefore),
                    (client1 - client0) / 1e3 / Math.max(1, okAfter - okBefore), firstError.get());
        }
    }

    private void client(Semaphore connecting, CountDownLatch connected, CountDownLatch start, LongAdder up) {
        WsConn c;
        try {
            connecting.acquire();
            try {
                c = WsConn.open(port, 30_000);
                Protocol.handshake(c, token, System.nanoTime());
            } finally {
                connecting.release();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            errors.increment();
            fail("connect: " + e);
            connected.countDown();
            return;
        }
        up.increment();
        connected.countDown();
        long[] ids = new long[window];
        long[] sentAt = new long[window];
        int inFlight = 0;
        long next = 2;
        try (c) {
            start.await();
            while (phase != STOP) {
                while (inFlight < window) {
                    ids[inFlight] = next;
                    sentAt[inFlight++] = System.nanoTime();
                    c.write(Protocol.health(next++));
                }
                c.flush();
                do {
                    inFlight = onReply(c.read(), ids, sentAt, inFlight);
                } while (c.hasBuffered());
            }
            c.setTimeout(10_000);
            while (inFlight > 0) {
                inFlight = onReply(c.read(), ids, sentAt, inFlight);
            }
        } catch (SocketTimeoutException e) {
            errors.add(inFlight);
            fail(inFlight + " responses missing after the socket timeout (30 s running, 10 s after the stop)");
        } catch (IOException | InterruptedException | RuntimeException e) {
            errors.add(1 + inFlight);
            fail("connection dropped: " + e);
        }
    }

    /** Accounts one reply; returns the new in-flight count (the slot is freed by moving the last one into it). */
    private int onReply(String frame, long[] ids, long[] sentAt, int inFlight) {
        Protocol.Reply r = Protocol.read(frame);
        if (r.event()) {
            return inFlight;
        }
        for (int i = 0; i < inFlight; i++) {
            if (ids[i] == r.id()) {
                long took = System.nanoTime() - sentAt[i];
                ids[i] = ids[inFlight - 1];
                sentAt[i] = sentAt[inFlight - 1];
                if (r.ok()) {
                    ok.increment();
                    if (phase == MEASURE) {
                        latency.record(took);
                    }
                } else {
                    errors.increment();
                    fail("error response: " + abbreviate(frame));
                }
                return inFlight - 1;
            }
        }
        errors.increment();
        fail("reply matches no request in flight: " + abbreviate(frame));
        return inFlight;
    }

    private void fail(String what) {
        firstError.compareAndSet(null, what);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
