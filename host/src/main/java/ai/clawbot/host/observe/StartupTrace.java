package ai.clawbot.host.observe;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a gateway's start-up time goes, phase by phase, measured from the JVM's start: on with
 * {@code CLAW_STARTUP_TRACE=1} ({@code claw gateway} prints the phases to stderr once it is ready), a no-op
 * otherwise. Phases may be marked from any thread (the sandbox starts beside plugin verification).
 */
public final class StartupTrace {

    private static final boolean ON = "1".equals(System.getenv("CLAW_STARTUP_TRACE"));
    private static final List<Mark> MARKS = new ArrayList<>();
    private static volatile boolean reported;

    private record Mark(String phase, String thread, long nanos) {
    }

    private StartupTrace() {
    }

    /** Records that {@code phase} is over now (cheap: one list add under a lock, only when tracing is on). */
    public static void mark(String phase) {
        if (!ON || reported) { // phases after the report (a plugin installed later) are not start-up
            return;
        }
        Mark m = new Mark(phase, Thread.currentThread().getName(), System.nanoTime());
        synchronized (MARKS) {
            MARKS.add(m);
        }
    }

    /** Prints each phase's end in ms since the JVM started, and its thread; nothing when tracing is off. */
    public static void report(PrintStream out) {
        if (!ON) {
            return;
        }
        // Read once, at the end: the management classes cost ~50 ms that a start without tracing does not pay.
        long uptimeMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        long now = System.nanoTime();
        List<Mark> marks;
        synchronized (MARKS) {
            marks = List.copyOf(MARKS);
            reported = true;
        }
        out.println("start-up (ms since the JVM started):");
        for (Mark m : marks) {
            out.printf("  %6d  %-34s %s%n", uptimeMs - (now - m.nanos()) / 1_000_000, m.phase(), m.thread());
        }
        out.flush();
    }
}
