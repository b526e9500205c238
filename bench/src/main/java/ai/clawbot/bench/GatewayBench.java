package ai.clawbot.bench;

import ai.clawbot.bench.BenchReport.Goal;
import ai.clawbot.bench.SteadyState.Launcher;
import ai.clawbot.bench.SteadyState.Measured;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Gateway performance against the targets, each beside a baseline measured in the same run (a load
 * client, not a test). Both servers run as child JVMs of the same JDK with the same options; start-ups one at
 * a time, then the steady-state figures with both up, alternating between them ({@link SteadyState}):
 * <ul>
 * <li><b>baseline server</b> ({@link BareServer}): Helidon SE 4 set up as the gateway sets it up, with a
 *     {@code /healthz} route and a WebSocket on {@code /} that sends a challenge-shaped event on open and
 *     echoes every frame. It is the floor the gateway is built on, so each ratio is the gateway's own cost:
 *     start (its state folder, plugin verification, Docker probe), idle memory (its classes and objects),
 *     handshake (token check, hello-ok), per-request work (JSON, dispatch on a virtual thread, the method).</li>
 * <li>start: fork to the first 200 on {@code GET /healthz} (the figure; the gateway listens before it
 *     loads its services) and on {@code /readyz} (it takes {@code connect}), rounds of (trivial JVM, baseline, gateway) so
 *     that other work on the machine hits all alike; the first gateway start runs on a fresh state folder
 *     (installs the bundled plugins), the rest reuse it (a restart). The trivial JVM ({@link Hello}, fork to
 *     exit) is the floor for any Java process.</li>
 * <li>RSS: {@code VmRSS} after a quiet spell, and again after the load.</li>
 * <li>handshake: socket open to hello-ok (open, 101, challenge, connect, answer) vs the same frames against
 *     the echo server; the upgrade alone (TCP connect to 101) is shown for both.</li>
 * <li>health latency: sequential {@code health} requests on one connection vs the same frames echoed; a
 *     kept-alive {@code GET /healthz} on each is shown as the HTTP reference.</li>
 * <li>throughput: N clients each keeping a window of requests in flight, same client against both.</li>
 * </ul>
 * The client shares the machine with the server under test, as it would with a local UI or CLI, and costs
 * both servers alike. {@code ./bench/run-gateway.sh [clients=1000] [seconds=10] ...} (see {@link BenchOptions}).
 */
public final class GatewayBench {

    /** Start-up samples (nanos from fork): the trivial JVM to exit, each server to /healthz and to /readyz. */
    record Starts(long[] hello, long[] bareHealthy, long[] bareReady, long[] gwHealthy, long[] gwReady) {
    }

    static final String BASELINES = """
            Baselines (same run, same JDK and JVM options, same client code); ratio = gateway / baseline:
              start       a bare Helidon SE 4 server (BareServer: same version and WebSocket limit, /healthz, echo
                          WebSocket): the framework floor, so the ratio is the gateway's own start-up work; the
                          trivial JVM (print and exit) is the floor for any Java process. /readyz: the gateway takes
                          connect; the bare server is ready when it listens.
              RSS         that bare server, idle and after the same load.
              handshake   the same frames against the echo server: open, 101, a challenge-shaped event, connect echoed.
              health      the same request frame echoed by the bare server on one kept-open connection (transport floor);
                          a kept-alive GET /healthz on each is shown for reference.
              throughput  the same clients, window and duration against the echo server.
            """;

    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(args);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String benchJar = Path.of(GatewayBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        System.out.printf("Gateway bench: JDK %s, %d cores, %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(), o);
        machineCheck("before");

        String cp = System.getProperty("java.class.path");
        Launcher bareServer = port -> BenchChild.start("bare",
                jvm(java, o, "-cp", cp, BareServer.class.getName(), Integer.toString(port)), Map.of());
        Path state = Files.createTempDirectory("claw-gateway-bench");
        byte[] secret = new byte[16];
        ThreadLocalRandom.current().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret); // 32 characters; the gateway wants at least 16
        Launcher gateway = port -> BenchChild.start("gateway",
                jvm(java, o, "-jar", o.hostJar().toString(), "gateway", "--port", Integer.toString(port)),
                Map.of("OPENCLAW_STATE_DIR", state.toString(), "OPENCLAW_GATEWAY_TOKEN", token));
        try {
            // Start-ups interleaved, so a burst of other work on the machine hits all three alike.
            int n = o.starts();
            Starts st = new Starts(new long[n], new long[n], new long[n], new long[n], new long[n]);
            System.out.printf("%n== start-up: fork to first 200 on /healthz and /readyz (trivial JVM: fork to exit), interleaved ==%n");
            for (int i = 0; i < n; i++) {
                try (BenchChild c = BenchChild.start("hello", jvm(java, o, "-cp", benchJar, Hello.class.getName()), Map.of())) {
                    st.hello()[i] = c.awaitExit(30_000);
                }
                long[] b = startOnce(bareServer);
                long[] g = startOnce(gateway);
                st.bareHealthy()[i] = b[0];
                st.bareReady()[i] = b[1];
                st.gwHealthy()[i] = g[0];
                st.gwReady()[i] = g[1];
                System.out.printf("round %d: trivial JVM %4.0f ms | bare Helidon healthz %5.0f ms | gateway healthz %5.0f ms,"
                        + " readyz %5.0f ms%s%n", i + 1, ms(st.hello()[i]), ms(b[0]), ms(g[0]), ms(g[1]),
                        i == 0 ? " (fresh state folder)" : " (restart)");
            }
            Measured[] both = SteadyState.run(o, new SteadyState.Target("bare Helidon (baseline)", "not-checked", bareServer),
                    new SteadyState.Target("gateway", token, gateway));
            Measured bare = both[0];
            Measured gw = both[1];
            machineCheck("after");
            report(o, st, bare, gw).print();
            System.out.println(BASELINES);
        } finally {
            deleteTree(state);
        }
    }

    /**
     * One start, then stop: nanos from fork to the first 200 on {@code /healthz} (the server answers) and on
     * {@code /readyz} (the gateway has loaded its services and takes {@code connect}).
     */
    static long[] startOnce(Launcher launcher) throws Exception {
        int port = SteadyState.freePort();
        try (BenchChild c = launcher.launch(port)) {
            return new long[] {c.await200(port, "/healthz", 60_000), c.await200(port, "/readyz", 60_000)};
        }
    }

    static BenchReport report(BenchOptions o, Starts st, Measured bare, Measured gw) {
        double bareUp = ms(median(st.bareHealthy()));
        double restart = ms(median(restarts(st.gwHealthy())));
        String clients = o.clients() + " clients x " + o.window() + " in flight";
        return new BenchReport()
                .add("start -> /healthz 200 (restart, median)", restart, bareUp, "ms", Goal.AT_MOST, 1000)
                .add("start -> /healthz 200 (first run)", ms(st.gwHealthy()[0]), bareUp, "ms", Goal.AT_MOST, 1000)
                .add("  same restart vs a trivial JVM (fork to exit)", restart, ms(median(st.hello())), "ms", Goal.NONE, 0)
                .add("start -> /readyz 200 (restart, median)", ms(median(restarts(st.gwReady()))),
                        ms(median(st.bareReady())), "ms", Goal.NONE, 0)
                .add("idle RSS (after " + o.idleSeconds() + " s quiet)", gw.idleRssKb() / 1024.0, bare.idleRssKb() / 1024.0, "MB", Goal.AT_MOST, 200)
                .add("RSS after the load", gw.loadedRssKb() / 1024.0, bare.loadedRssKb() / 1024.0, "MB", Goal.NONE, 0)
                .add("connect handshake p50 (open -> hello-ok)", ms(p(gw.handshake(), 50)), ms(p(bare.handshake(), 50)), "ms", Goal.AT_MOST, 5)
                .add("  of which upgrade p50 (TCP + 101)", ms(p(gw.upgrade(), 50)), ms(p(bare.upgrade(), 50)), "ms", Goal.NONE, 0)
                .add("connect handshake p99", ms(p(gw.handshake(), 99)), ms(p(bare.handshake(), 99)), "ms", Goal.NONE, 0)
                .add("health p50 (1 connection, sequential)", ms(p(gw.health(), 50)), ms(p(bare.health(), 50)), "ms", Goal.AT_MOST, 0.3)
                .add("health p99 (1 connection, sequential)", ms(p(gw.health(), 99)), ms(p(bare.health(), 99)), "ms", Goal.AT_MOST, 2)
                .add("  HTTP reference: GET /healthz keep-alive p50", ms(p(gw.http(), 50)), ms(p(bare.http(), 50)), "ms", Goal.NONE, 0)
                .add("throughput, " + clients, gw.load().rps(), bare.load().rps(), "rpc/s", Goal.AT_LEAST, 20_000)
                .add("errors, " + clients, gw.load().errors(), bare.load().errors(), "", Goal.AT_MOST, 0)
                .add("health p99 under that load", ms(gw.load().p99Nanos()), ms(bare.load().p99Nanos()), "ms", Goal.NONE, 0)
                .add("server CPU per response under that load", gw.load().serverCpuMicrosPerOk(),
                        bare.load().serverCpuMicrosPerOk(), "us", Goal.NONE, 0);
    }

    /**
     * Other work on the machine skews every figure (and not both servers alike: they run at different
     * times), so say how busy it was in a quiet second just before and after the run.
     */
    static void machineCheck(String when) throws IOException, InterruptedException {
        long[] a = cpuTicks();
        Thread.sleep(1000);
        long[] b = cpuTicks();
        double busy = 1.0 - (double) (b[1] - a[1]) / Math.max(1, b[0] - a[0]);
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        System.out.printf("machine %s the run: %.0f%% CPU busy over 1 s (bench idle), loadavg %s%s%n", when, busy * 100, load,
                busy > 0.15 ? "  <-- other work is running: figures are unreliable, rerun on a quiet machine" : "");
    }

    /** [total, idle + iowait] jiffies from the first line of {@code /proc/stat}. */
    private static long[] cpuTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    static List<String> jvm(String java, BenchOptions o, String... rest) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(o.childJvm());
        cmd.addAll(List.of(rest));
        return cmd;
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** All but the first (fresh state folder) sample, unless there is only one. */
    static long[] restarts(long[] xs) {
        return xs.length > 1 ? Arrays.copyOfRange(xs, 1, xs.length) : xs;
    }

    /** The middle sample, or the mean of the middle two (few start-up samples: the upper one would bias it). */
    static long median(long[] xs) {
        long[] s = xs.clone();
        Arrays.sort(s);
        int mid = s.length / 2;
        return s.length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    }

    static long p(long[] xs, double pct) {
        return Latencies.percentile(xs, pct);
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
