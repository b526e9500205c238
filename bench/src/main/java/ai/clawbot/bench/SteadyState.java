package ai.clawbot.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Arrays;

/**
 * Everything measured on running servers. The baseline and the gateway run side by side (an idle JVM costs
 * the other nothing but memory) and the sequential measurements alternate between them in blocks, so a
 * burst of other work on the machine, or a CPU frequency change, lands on both rather than on one; only
 * the load phases, which each take the whole machine, run one after the other.
 */
final class SteadyState {

    /** A server to start: how, and the token its {@code connect} needs. */
    record Target(String name, String token, Launcher launcher) {
    }

    @FunctionalInterface
    interface Launcher {
        BenchChild launch(int port) throws IOException;
    }

    /** What was measured on one server (latencies in nanos, RSS in KiB). */
    record Measured(long idleRssKb, long[] upgrade, long[] handshake, long[] health, long[] http, LoadRun.Result load,
                    long loadedRssKb) {
    }

    private static final int BLOCKS = 10;

    private SteadyState() {
    }

    static Measured[] run(BenchOptions o, Target... targets) throws Exception {
        int k = targets.length;
        BenchChild[] child = new BenchChild[k];
        int[] port = new int[k];
        try {
            System.out.printf("%n== steady state: %s side by side, measurements alternate in %d blocks ==%n",
                    String.join(" and ", Arrays.stream(targets).map(Target::name).toList()), BLOCKS);
            for (int i = 0; i < k; i++) {
                port[i] = freePort();
                child[i] = targets[i].launcher().launch(port[i]);
                child[i].await200(port[i], "/readyz", 60_000);
            }
            Thread.sleep(o.idleSeconds() * 1000L);
            long[] idleRss = new long[k];
            for (int i = 0; i < k; i++) {
                idleRss[i] = child[i].rssKb();
                System.out.printf("%-24s idle RSS %.1f MB (pid %d)%n", targets[i].name(), idleRss[i] / 1024.0, child[i].pid());
            }

            int n = o.handshakes();
            long[][] upgrade = new long[k][n];
            long[][] handshake = new long[k][n];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < Math.max(1, n / 10); j++) {
                    handshake(port[i], targets[i].token(), new long[1], new long[1], 0); // warmup
                }
            }
            for (int b = 0; b < BLOCKS; b++) {
                for (int i = 0; i < k; i++) {
                    for (int j = b * n / BLOCKS; j < (b + 1) * n / BLOCKS; j++) {
                        handshake(port[i], targets[i].token(), upgrade[i], handshake[i], j);
                    }
                }
            }

            int m = o.pings();
            long[][] health = new long[k][m];
            long[][] http = new long[k][m];
            WsConn[] ws = new WsConn[k];
            HttpProbe[] probe = new HttpProbe[k];
            long[] nextId = new long[k];
            try {
                for (int i = 0; i < k; i++) {
                    ws[i] = WsConn.open(port[i], 5000);
                    Protocol.handshake(ws[i], targets[i].token(), System.nanoTime());
                    probe[i] = HttpProbe.open(port[i], "/healthz");
                    nextId[i] = 2;
                    for (int j = 0; j < m / 4; j++) { // warmup
                        nextId[i] = ping(ws[i], nextId[i], new long[1], 0);
                        httpGet(probe[i], new long[1], 0);
                    }
                }
                for (int b = 0; b < BLOCKS; b++) {
                    for (int i = 0; i < k; i++) {
                        for (int j = b * m / BLOCKS; j < (b + 1) * m / BLOCKS; j++) {
                            nextId[i] = ping(ws[i], nextId[i], health[i], j);
                        }
                        for (int j = b * m / BLOCKS; j < (b + 1) * m / BLOCKS; j++) {
                            httpGet(probe[i], http[i], j);
                        }
                    }
                }
            } finally {
                for (int i = 0; i < k; i++) {
                    if (ws[i] != null) {
                        ws[i].close();
                    }
                    if (probe[i] != null) {
                        probe[i].close();
                    }
                }
            }
            for (int i = 0; i < k; i++) {
                System.out.printf("%-24s handshake p50 %.3f ms p99 %.3f ms (upgrade alone p50 %.3f ms, n=%d)%n"
                                + "%-24s health p50 %.3f ms p99 %.3f ms p99.9 %.3f ms; GET /healthz p50 %.3f ms p99 %.3f ms (n=%d)%n",
                        targets[i].name(), ms(p(handshake[i], 50)), ms(p(handshake[i], 99)), ms(p(upgrade[i], 50)), n, "",
                        ms(p(health[i], 50)), ms(p(health[i], 99)), ms(p(health[i], 99.9)), ms(p(http[i], 50)),
                        ms(p(http[i], 99)), m);
            }

            Measured[] out = new Measured[k];
            for (int i = 0; i < k; i++) {
                System.out.printf("%-24s load: %d clients x %d in flight, %d s warmup + %d s ...%n", targets[i].name(),
                        o.clients(), o.window(), o.warmup(), o.seconds());
                LoadRun.Result load = LoadRun.run(port[i], targets[i].token(), o, child[i]::cpuNanos);
                long loadedRss = child[i].rssKb();
                System.out.printf("%-24s %d connected in %d ms; %,.0f rpc/s, %d errors, p50 %.2f ms p99 %.2f ms;"
                                + " CPU per response: server %.1f us, client %.1f us; RSS after %.1f MB%s%n", "",
                        load.connected(), load.setupMillis(), load.rps(), load.errors(), ms(load.p50Nanos()),
                        ms(load.p99Nanos()), load.serverCpuMicrosPerOk(), load.clientCpuMicrosPerOk(), loadedRss / 1024.0,
                        load.firstError() == null ? "" : "; first error: " + load.firstError());
                if (load.errors() > 0 || load.connected() < o.clients()) {
                    System.out.println("  server output (tail):\n" + child[i].output().indent(4));
                }
                out[i] = new Measured(idleRss[i], upgrade[i], handshake[i], health[i], http[i], load, loadedRss);
            }
            return out;
        } finally {
            for (BenchChild c : child) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /** One connect on a new socket: open to hello-ok (and open to 101) into slot {@code j}. */
    private static void handshake(int port, String token, long[] upgrade, long[] full, int j) throws IOException {
        long t0 = System.nanoTime();
        try (WsConn ws = WsConn.open(port, 5000)) {
            long[] hs = Protocol.handshake(ws, token, t0);
            upgrade[j] = ws.upgradeNanos;
            full[j] = hs[1];
        }
    }

    /** One {@code health} round trip into slot {@code j}; returns the next id. */
    private static long ping(WsConn ws, long id, long[] into, int j) throws IOException {
        long t0 = System.nanoTime();
        ws.send(Protocol.health(id));
        Protocol.Reply r;
        do {
            r = Protocol.read(ws.read());
        } while (r.event());
        into[j] = System.nanoTime() - t0;
        if (r.id() != id || !r.ok()) {
            throw new IOException("health " + id + " failed or out of order: " + r);
        }
        return id + 1;
    }

    private static void httpGet(HttpProbe probe, long[] into, int j) throws IOException {
        long t0 = System.nanoTime();
        if (probe.roundTrip() != 200) {
            throw new IOException("/healthz not 200");
        }
        into[j] = System.nanoTime() - t0;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static long p(long[] xs, double pct) {
        return Latencies.percentile(xs, pct);
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
