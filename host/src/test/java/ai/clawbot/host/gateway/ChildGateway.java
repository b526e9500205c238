package ai.clawbot.host.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link GatewayChild} JVM on the test classpath: started over a state folder, ready once it printed its port,
 * and ended only by {@link #kill()} (SIGKILL: no shutdown hooks, no flushing, no drain).
 */
final class ChildGateway implements AutoCloseable {

    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final int port;
    private final Path stderr;
    private final long startMillis;

    private ChildGateway(Process process, int port, Path stderr, long startMillis) {
        this.process = process;
        this.port = port;
        this.stderr = stderr;
        this.startMillis = startMillis;
    }

    /** Starts the child and waits (up to {@code timeoutMs}) for {@code PORT <n>}; fails with its stderr if it never comes. */
    static ChildGateway start(Path state, String token, Path stderr, long timeoutMs) throws Exception {
        long t0 = System.nanoTime();
        String java = ProcessHandle.current().info().command().orElseThrow(() -> new AssertionError("no java command"));
        Process p = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), GatewayChild.class.getName(), state.toString(), token)
                .redirectError(stderr.toFile())
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().name("gateway-child-stdout").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // The pipe breaks when the child dies.
            }
            lines.add(EOF);
        });
        String line = lines.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (line == null || !line.startsWith("PORT ")) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the gateway child did not report a port (" + (line == null ? "silent for " + timeoutMs
                    + " ms" : EOF.equals(line) ? "it exited with " + p.exitValue() : "it said '" + line + "'")
                    + "); its stderr:\n" + tail(stderr));
        }
        return new ChildGateway(p, Integer.parseInt(line.substring(5).trim()), stderr,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + port + "/");
    }

    /** From process start to {@code PORT}: JVM start, service load (skills, store recovery) and ready. */
    long startMillis() {
        return startMillis;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL (that is what {@link Process#destroyForcibly()} sends on Linux), then waits for the exit. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the gateway child outlived SIGKILL by 30 s");
        }
    }

    String stderrTail() {
        return tail(stderr);
    }

    private static String tail(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8);
            return s.length() > 4000 ? "…" + s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
