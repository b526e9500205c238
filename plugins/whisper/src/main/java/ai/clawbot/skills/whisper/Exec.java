package ai.clawbot.skills.whisper;

import ai.clawbot.plugin.api.ToolException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program directly (argv, no shell: the skill-stt image has none) with a deadline, reading its output and
 * error streams at once so neither can block it, each capped.
 */
final class Exec {

    private static final int CAP = 4 * 1024 * 1024;

    record Result(int exit, String out, String err) {
    }

    private Exec() {
    }

    static Result run(List<String> argv, Duration deadline) throws ToolException {
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new ToolException("ENGINE_MISSING", "cannot run " + argv.get(0) + " (is this the skill-stt image?)");
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> drain(p.getErrorStream(), err), "exec-stderr");
        errReader.setDaemon(true);
        errReader.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread outReader = new Thread(() -> drain(p.getInputStream(), out), "exec-stdout");
        outReader.setDaemon(true);
        outReader.start();
        try {
            if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new ToolException("ENGINE_TIMEOUT", argv.get(0) + " did not finish within " + deadline.toSeconds() + " s");
            }
            outReader.join(5000);
            errReader.join(1000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ToolException("INTERRUPTED", "interrupted");
        }
        synchronized (out) {
            synchronized (err) {
                return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            }
        }
    }

    private static void drain(InputStream in, ByteArrayOutputStream to) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (to.size() < CAP) {
                    to.write(buf, 0, Math.min(n, CAP - to.size()));
                }
            }
        } catch (IOException e) {
            // the process ended or was killed; what was read is kept
        }
    }
}
