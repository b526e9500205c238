package ai.clawbot.host.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A well-behaved, authenticated client that calls {@code health} every {@code period} on its own
 * connection for as long as it runs, and records every call not answered with {@code ok:true} within
 * {@code bound}: the "other clients keep being served" check of hostile tests.
 */
public final class HealthWatch implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI uri;
    private final String token;
    private final Duration bound;
    private final Duration period;
    private final List<String> failures = new ArrayList<>();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong maxLatencyMicros = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private WsProbe probe;

    public HealthWatch(URI uri, String token, Duration bound, Duration period) throws Exception {
        this.uri = uri;
        this.token = token;
        this.bound = bound;
        this.period = period;
        this.probe = connect();
        this.thread = Thread.ofPlatform().daemon().name("health-watch").start(this::loop);
    }

    private WsProbe connect() throws Exception {
        WsProbe p = WsProbe.open(uri);
        String challenge = p.next(bound);
        if (challenge == null || !challenge.contains("connect.challenge")) {
            p.close();
            throw new IllegalStateException("health watch: no challenge: " + challenge);
        }
        p.text("{\"type\":\"req\",\"id\":\"hc\",\"method\":\"connect\",\"params\":{\"minProtocol\":4,\"maxProtocol\":4,"
                + "\"auth\":{\"token\":" + JSON.valueToTree(token) + "}}}");
        String hello = p.next(bound);
        if (hello == null || !hello.contains("hello-ok")) {
            p.close();
            throw new IllegalStateException("health watch: connect refused: " + hello);
        }
        return p;
    }

    private void loop() {
        long n = 0;
        while (running) {
            String id = "hw" + (++n);
            long start = System.nanoTime();
            String problem = null;
            try {
                if (!probe.text("{\"type\":\"req\",\"id\":\"" + id + "\",\"method\":\"health\"}")) {
                    problem = "could not send (connection closed: " + probe.closeNow() + ")";
                } else {
                    problem = awaitAnswer(id, start);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | AssertionError e) {
                problem = "send failed: " + e;
            }
            long micros = (System.nanoTime() - start) / 1_000;
            if (problem == null) {
                answered.incrementAndGet();
                maxLatencyMicros.accumulateAndGet(micros, Math::max);
            } else {
                synchronized (failures) {
                    failures.add("health " + id + " at " + java.time.Instant.now() + ": " + problem);
                }
                reconnect();
            }
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private String awaitAnswer(String id, long start) throws InterruptedException {
        while (true) {
            long left = bound.toNanos() - (System.nanoTime() - start);
            if (left <= 0) {
                return "no answer within " + bound.toMillis() + " ms";
            }
            String m = probe.next(Duration.ofNanos(left));
            if (m == null) {
                return probe.isClosed() ? "connection closed: " + probe.closeNow() : "no answer within " + bound.toMillis() + " ms";
            }
            try {
                JsonNode f = JSON.readTree(m);
                if (!"res".equals(f.path("type").asText()) || !id.equals(f.path("id").asText())) {
                    continue; // an event, or a late answer to an earlier call
                }
                if (!f.path("ok").asBoolean() || !"live".equals(f.at("/payload/status").asText())) {
                    return "answered but not live: " + m;
                }
                return null;
            } catch (Exception e) {
                return "unparseable answer: " + m;
            }
        }
    }

    private void reconnect() {
        try {
            probe.close();
            probe = connect();
        } catch (Exception e) {
            synchronized (failures) {
                failures.add("health watch could not reconnect: " + e);
            }
        }
    }

    /** Failures since the last call, and forgets them. */
    public List<String> drainFailures() {
        synchronized (failures) {
            List<String> out = new ArrayList<>(failures);
            failures.clear();
            return out;
        }
    }

    public long answered() {
        return answered.get();
    }

    public long maxLatencyMillis() {
        return maxLatencyMicros.get() / 1_000;
    }

    /** Waits for one more answered call (proof the watch is still being served right now). */
    public boolean awaitNextAnswer(Duration timeout) throws InterruptedException {
        long target = answered.get() + 1;
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (answered.get() >= target) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        probe.close();
    }
}
