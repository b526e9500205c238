package ai.clawbot.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server under test as a child JVM: started with the clock running, polled on {@code /healthz} until 200,
 * its RSS read from {@code /proc}, and stopped (SIGTERM, then SIGKILL) however the bench ends.
 */
final class BenchChild implements AutoCloseable {

    private final String name;
    private final Process process;
    private final long startNanos;
    private final Deque<String> tail = new ArrayDeque<>();

    private BenchChild(String name, Process process, long startNanos) {
        this.name = name;
        this.process = process;
        this.startNanos = startNanos;
        Thread pump = new Thread(this::pump, name + "-output");
        pump.setDaemon(true);
        pump.start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close)); // Ctrl-C must not leave a server running
    }

    /** Starts {@code command}; the clock starts just before the fork. */
    static BenchChild start(String name, List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        return new BenchChild(name, pb.start(), t0);
    }

    /** Keeps the last lines of the child's output for error messages (and keeps its pipe from filling up). */
    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 40) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException ignored) {
            // the child is gone
        }
    }

    /** Nanos from fork to the first 200 on {@code GET path}; polls every millisecond. */
    long await200(int port, String path, long timeoutMs) {
        long deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (HttpProbe.status(port, path) == 200) {
                return System.nanoTime() - startNanos;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException(name + " gave no 200 on " + path + " in " + timeoutMs + " ms:\n" + output());
    }

    /** Resident set size in KiB ({@code VmRSS} of the child's {@code /proc} status). */
    long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + name + " (pid " + process.pid() + ")");
    }

    /** CPU time the child has used so far (user + system), in nanos. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    long pid() {
        return process.pid();
    }

    String output() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    /** Waits for the process to end (for a run-to-exit child); nanos from fork to exit. */
    long awaitExit(long timeoutMs) throws InterruptedException {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " did not exit in " + timeoutMs + " ms");
        }
        return System.nanoTime() - startNanos;
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        // SIGTERM through the handle: Process.destroy() also closes our end of the child's output pipe, and a JVM
        // writing its AOT cache at exit (-XX:AOTCacheOutput) then dies of SIGPIPE without writing it.
        process.toHandle().destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
