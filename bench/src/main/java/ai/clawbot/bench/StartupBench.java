package ai.clawbot.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Start-up as a person sees it, beside a bare Helidon SE 4 server in the same run (run-startup.sh):
 * <ul>
 * <li>cold: a fresh state folder and no class-data archive; warm: the next starts, same state folder, with the
 *     archive the first run wrote; the gateway is started by {@code ./claw gateway}, as a person starts it;</li>
 * <li>fork to the first 200 on {@code /healthz} and on {@code /readyz};</li>
 * <li>the first WebSocket handshake (open → hello-ok) right after {@code /readyz}, and the median of the next 20.</li>
 * </ul>
 * With {@code beforeJar=PATH} (another build of the gateway, e.g. the main branch's) that one is started in the same
 * rounds too, for a before/after on the same machine at the same time; via {@code ./claw} it is started by the launcher
 * of the checkout it was built in ({@code PATH/../../claw}), so launcher changes are compared too.
 * Usage: {@code StartupBench hostJar=PATH [beforeJar=PATH] [starts=5]}.
 */
public final class StartupBench {

    private StartupBench() {
    }

    /** Wall times, and the CPU the process used up to /readyz (much less sensitive to a loaded machine). */
    record Sample(long healthz, long readyz, long firstHandshake, long warmHandshake, long readyzCpu) {
    }

    interface Launch {
        BenchChild start(int port, boolean cold) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new java.util.HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                System.err.println("arguments are key=value (starts=N, beforeJar=PATH, archive=aot|cds, "
                        + "launcher=claw|java); got '" + a + "'");
                System.exit(2);
            }
            o.put(a.substring(0, eq), a.substring(eq + 1));
        }
        Path hostJar = Path.of(o.get("hostJar"));
        int starts = Integer.parseInt(o.getOrDefault("starts", "5"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Path work = Files.createTempDirectory("claw-startup-bench");
        byte[] secret = new byte[16];
        ThreadLocalRandom.current().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        System.out.printf("Start-up bench: JDK %s, %d cores, %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(), hostJar);
        // The gateway starts as a person starts it: ./claw gateway (the launcher's JDK lookup and its archive included;
        // on JDK 25+ an AOT cache written by the cold start). The bare server gets the same kind of archive
        // (archive=aot|cds; default: aot on JDK 25+); launcher=java starts the gateway jar directly with it instead.
        boolean aot = "aot".equals(o.getOrDefault("archive", Runtime.version().feature() >= 25 ? "aot" : "cds"));
        boolean beforeAot = "aot".equals(o.getOrDefault("beforeArchive", aot ? "aot" : "cds"));
        boolean viaClaw = !"java".equals(o.getOrDefault("launcher", "claw"));
        System.out.printf("gateway via %s; archives: bare %s, beforeJar %s%n", viaClaw ? "./claw" : "java -jar",
                aot ? "AOT cache" : "dynamic AppCDS", beforeAot ? "AOT cache" : "dynamic AppCDS");
        Launch bare = (port, cold) -> BenchChild.start("bare", archive(java, work.resolve("bare"), cold, aot,
                "-cp", cp, BareServer.class.getName(), Integer.toString(port)), Map.of());
        Launch gateway = viaClaw ? claw(hostJar, work, "claw", token) : gateway(java, work, hostJar, "gateway", token, aot);
        Path beforeJar = o.containsKey("beforeJar") ? Path.of(o.get("beforeJar")) : null;
        // Via ./claw, each build starts with its own launcher (its JVM options are part of what is compared).
        Launch before = beforeJar == null ? null : viaClaw ? claw(beforeJar, work, "before", token)
                : gateway(java, work, beforeJar, "before", token, beforeAot);
        try {
            List<Sample> b = new ArrayList<>();
            List<Sample> g = new ArrayList<>();
            List<Sample> pre = new ArrayList<>();
            for (int i = 0; i <= starts; i++) { // round 0 is cold, the rest warm; interleaved so load hits both alike
                b.add(once(bare, i == 0, "not-checked"));
                g.add(once(gateway, i == 0, token));
                if (before != null) {
                    pre.add(once(before, i == 0, token));
                    System.out.printf("round %d (%s): before: healthz %5.0f readyz %5.0f first hs %6.2f warm hs %5.2f ms%n", i,
                            i == 0 ? "cold" : "warm", GatewayBench.ms(pre.get(i).healthz()), GatewayBench.ms(pre.get(i).readyz()),
                            GatewayBench.ms(pre.get(i).firstHandshake()), GatewayBench.ms(pre.get(i).warmHandshake()));
                }
                System.out.printf("round %d (%s): bare healthz %5.0f readyz %5.0f first hs %6.2f warm hs %5.2f |"
                                + " gateway healthz %5.0f readyz %5.0f first hs %6.2f warm hs %5.2f ms%n", i, i == 0 ? "cold" : "warm",
                        GatewayBench.ms(b.get(i).healthz()), GatewayBench.ms(b.get(i).readyz()), GatewayBench.ms(b.get(i).firstHandshake()), GatewayBench.ms(b.get(i).warmHandshake()),
                        GatewayBench.ms(g.get(i).healthz()), GatewayBench.ms(g.get(i).readyz()), GatewayBench.ms(g.get(i).firstHandshake()), GatewayBench.ms(g.get(i).warmHandshake()));
            }
            System.out.printf("%n%-44s %10s %10s %7s %s%n", "figure (warm: median of " + starts + ")", "gateway", "bare", "ratio", "target");
            row("cold start -> /healthz 200 (ms)", g.get(0).healthz(), b.get(0).healthz(), "");
            row("cold start -> /readyz 200 (ms)", g.get(0).readyz(), b.get(0).readyz(), "");
            row("warm start -> /healthz 200 (ms)", median(g, Sample::healthz), median(b, Sample::healthz), "<= 600");
            row("warm start -> /readyz 200 (ms)", median(g, Sample::readyz), median(b, Sample::readyz), "<= 1000");
            row("warm start -> /readyz, CPU used (ms)", median(g, Sample::readyzCpu), median(b, Sample::readyzCpu), "");
            row("first handshake after ready, warm (ms)", median(g, Sample::firstHandshake), median(b, Sample::firstHandshake), "<= 10");
            row("warm handshake, median of 20 (ms)", median(g, Sample::warmHandshake), median(b, Sample::warmHandshake), "");
            if (before != null) {
                System.out.printf("%n%-44s %10s %10s %7s%n", "this build vs beforeJar, same rounds", "after", "before", "ratio");
                row("cold start -> /healthz 200 (ms)", g.get(0).healthz(), pre.get(0).healthz(), "");
                row("cold start -> /readyz 200 (ms)", g.get(0).readyz(), pre.get(0).readyz(), "");
                row("warm start -> /healthz 200 (ms)", median(g, Sample::healthz), median(pre, Sample::healthz), "");
                row("warm start -> /readyz 200 (ms)", median(g, Sample::readyz), median(pre, Sample::readyz), "");
                row("warm start -> /readyz, CPU used (ms)", median(g, Sample::readyzCpu), median(pre, Sample::readyzCpu), "");
                row("first handshake after ready, warm (ms)", median(g, Sample::firstHandshake), median(pre, Sample::firstHandshake), "");
                row("warm handshake, median of 20 (ms)", median(g, Sample::warmHandshake), median(pre, Sample::warmHandshake), "");
            }
        } finally {
            GatewayBench.deleteTree(work);
        }
    }

    /** {@code ./claw gateway --port N} of the repository {@code hostJar} was built in; cold: without its archives. */
    private static Launch claw(Path hostJar, Path work, String name, String token) {
        Path target = hostJar.toAbsolutePath().getParent();
        Path launcher = target.getParent().getParent().resolve("claw");
        return (port, cold) -> {
            Path state = work.resolve(name + "-state");
            if (cold) {
                if (Files.exists(state)) {
                    GatewayBench.deleteTree(state);
                }
                try (var files = Files.list(target)) {
                    for (Path f : files.filter(f -> f.getFileName().toString().matches("claw-gateway.*\\.(aot|jsa)")).toList()) {
                        Files.delete(f);
                    }
                }
            }
            return BenchChild.start(name, List.of(launcher.toString(), "gateway", "--port", Integer.toString(port)),
                    Map.of("OPENCLAW_STATE_DIR", state.toString(), "OPENCLAW_GATEWAY_TOKEN", token, "CLAW_NO_BUILD", "1"));
        };
    }

    private static Launch gateway(String java, Path work, Path jar, String name, String token, boolean aot) {
        return (port, cold) -> {
            Path state = work.resolve(name + "-state");
            if (cold && Files.exists(state)) {
                GatewayBench.deleteTree(state);
            }
            return BenchChild.start(name, archive(java, work.resolve(name), cold, aot,
                    "-jar", jar.toString(), "gateway", "--port", Integer.toString(port)),
                    Map.of("OPENCLAW_STATE_DIR", state.toString(), "OPENCLAW_GATEWAY_TOKEN", token));
        };
    }

    private static Sample once(Launch launch, boolean cold, String token) throws Exception {
        int port = SteadyState.freePort();
        try (BenchChild c = launch.start(port, cold)) {
            long healthz = c.await200(port, "/healthz", 60_000);
            long readyz = c.await200(port, "/readyz", 60_000);
            long readyzCpu = c.cpuNanos();
            long first = handshake(port, token);
            long[] warm = new long[20];
            for (int i = 0; i < warm.length; i++) {
                warm[i] = handshake(port, token);
            }
            Arrays.sort(warm);
            return new Sample(healthz, readyz, first, warm[warm.length / 2], readyzCpu);
        }
    }

    private static long handshake(int port, String token) throws Exception {
        long t0 = System.nanoTime();
        try (WsConn ws = WsConn.open(port, 5000)) {
            return Protocol.handshake(ws, token, t0)[1];
        }
    }

    /** The command line ./claw uses: cold starts write the archive (and find none), warm ones use it. */
    private static List<String> archive(String java, Path base, boolean cold, boolean aot, String... rest) throws Exception {
        Path archive = Path.of(base + (aot ? ".aot" : ".jsa"));
        if (cold) {
            Files.deleteIfExists(archive);
        }
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(aot ? List.of(cold ? "-XX:AOTCacheOutput=" + archive : "-XX:AOTCache=" + archive, "-Xlog:aot=off", "-Xlog:cds=off")
                : List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        cmd.addAll(List.of(rest));
        return cmd;
    }

    private static long median(List<Sample> samples, java.util.function.ToLongFunction<Sample> f) {
        long[] xs = samples.stream().skip(1).mapToLong(f).sorted().toArray();
        return xs[xs.length / 2];
    }

    private static void row(String name, long gateway, long bare, String target) {
        System.out.printf("%-44s %10.2f %10.2f %6.2fx %s%n", name, GatewayBench.ms(gateway), GatewayBench.ms(bare), (double) gateway / bare, target);
    }
}
