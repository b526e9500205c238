package ai.clawbot.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link GatewayBench} runs with: {@code name=value} arguments, else {@code -Dbench.name=value}, else
 * the default (a whole run stays under about two minutes on two cores).
 *
 * @param hostJar     the gateway's runnable jar
 * @param starts      start-up samples per server (the first gateway one is on a fresh state folder)
 * @param idleSeconds quiet time before reading idle RSS
 * @param handshakes  sequential connects measured (after a tenth as many for warmup)
 * @param pings       sequential {@code health} round trips measured (after a quarter as many for warmup)
 * @param clients     concurrent connections in the load phase
 * @param window      requests in flight per connection
 * @param warmup      load seconds not counted
 * @param seconds     load seconds counted
 * @param childJvm    extra JVM options for both servers (e.g. {@code -Xmx256m}), space-separated
 */
record BenchOptions(Path hostJar, int starts, int idleSeconds, int handshakes, int pings, int clients, int window,
                    int warmup, int seconds, List<String> childJvm) {

    private static final Set<String> KEYS = Set.of("hostJar", "starts", "idle", "handshakes", "pings", "clients",
            "window", "warmup", "seconds", "childJvm");

    static BenchOptions parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0 || !KEYS.contains(a.substring(0, eq))) {
                throw new IllegalArgumentException("unknown argument '" + a + "'; expected name=value with name in " + KEYS);
            }
            given.put(a.substring(0, eq), a.substring(eq + 1));
        }
        Path jar = Path.of(get(given, "hostJar", "host/target/claw-host.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("gateway jar " + jar.toAbsolutePath() + " not found (hostJar=...)");
        }
        String jvm = get(given, "childJvm", "").trim();
        BenchOptions o = new BenchOptions(jar.toAbsolutePath(), num(given, "starts", 5), num(given, "idle", 5),
                num(given, "handshakes", 500), num(given, "pings", 20_000), num(given, "clients", 1000),
                num(given, "window", 8), num(given, "warmup", 3), num(given, "seconds", 10),
                jvm.isEmpty() ? List.of() : Arrays.asList(jvm.split("\\s+")));
        if (o.starts < 1 || o.handshakes < 1 || o.pings < 1 || o.clients < 1 || o.window < 1 || o.seconds < 1
                || o.warmup < 0 || o.idleSeconds < 0) {
            throw new IllegalArgumentException("counts must be positive: " + o);
        }
        return o;
    }

    private static String get(Map<String, String> given, String key, String dflt) {
        return given.getOrDefault(key, System.getProperty("bench." + key, dflt));
    }

    private static int num(Map<String, String> given, String key, int dflt) {
        String v = get(given, key, Integer.toString(dflt));
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + " is not a whole number");
        }
    }
}
