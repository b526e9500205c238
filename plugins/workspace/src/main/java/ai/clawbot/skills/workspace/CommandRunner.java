package ai.clawbot.skills.workspace;

import ai.clawbot.plugin.api.ToolException;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command as an argv array (no shell: {@code ["sh", "-c", "..."]} when a shell is wanted), in a
 * folder, with stdin empty, a timeout that kills the whole process tree, and stdout/stderr each kept to
 * their first {@code maxBytes} (the rest is read and dropped so the command never blocks on a full pipe).
 */
final class CommandRunner {

    /** How long to wait for the output pipes after the command ended (a background child may hold them open). */
    private static final long DRAIN_MILLIS = 1_000;

    private final int maxBytes;

    private CommandRunner(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    static CommandRunner create(int maxBytes) {
        return new CommandRunner(maxBytes);
    }

    /** How a command ended: its exit code, or {@code null} when it was killed at the timeout. */
    record Outcome(Integer exitCode, boolean timedOut, String stdout, boolean stdoutTruncated, String stderr,
                   boolean stderrTruncated, long durationMs) {
    }

    Outcome run(List<String> argv, Path cwd, Duration timeout) throws ToolException {
        if (argv.isEmpty() || argv.get(0).isEmpty()) {
            throw new ToolException("BAD_COMMAND", "the command is empty");
        }
        ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        // The sandbox user has no home folder; tools such as git want a writable one.
        env.putIfAbsent("HOME", "/tmp");
        long start = System.nanoTime();
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new ToolException("EXEC_FAILED", "cannot run '" + argv.get(0) + "': " + reason(e));
        }
        Capture out = Capture.start(process.getInputStream(), maxBytes, "exec-stdout");
        Capture err = Capture.start(process.getErrorStream(), maxBytes, "exec-stderr");
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            killTree(process);
            try {
                process.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        out.await(DRAIN_MILLIS);
        err.await(DRAIN_MILLIS);
        long ms = (System.nanoTime() - start) / 1_000_000;
        return new Outcome(finished ? process.exitValue() : null, !finished, out.text(), out.truncated(),
                err.text(), err.truncated(), ms);
    }

    /**
     * The tree is listed while the command is alive (once it is gone its children are re-parented and out of
     * reach), then the command is killed first so it cannot react to its children dying, then the children.
     */
    private static void killTree(Process process) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroyForcibly();
        for (ProcessHandle h : tree) {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
        }
    }

    private static String reason(IOException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int i = m.indexOf("error=");
        return i >= 0 ? m.substring(i) : m;
    }

    /** Reads one stream to its end on a daemon thread, keeping its first {@code max} bytes. */
    private static final class Capture implements Runnable {
        private final InputStream in;
        private final int max;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long total;
        private final Thread thread;

        private Capture(InputStream in, int max, String name) {
            this.in = in;
            this.max = max;
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        static Capture start(InputStream in, int max, String name) {
            Capture c = new Capture(in, max, name);
            c.thread.start();
            return c;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (this) {
                        int keep = (int) Math.max(0, Math.min(n, max - total));
                        kept.write(buf, 0, keep);
                        total += n;
                    }
                }
            } catch (IOException ignored) {
                // the stream closed under us: keep what was read
            }
        }

        void await(long millis) {
            try {
                thread.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }

        synchronized boolean truncated() {
            return total > max;
        }
    }
}
