package ai.clawbot.host.cli;

import picocli.CommandLine;

/** {@code claw}: the gateway and its operator commands. */
public final class Main {

    private Main() {
    }

    /** Runs {@code claw ARGS} writing to {@code out} and {@code err}; returns the exit code (embedding, tests). */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        return new CommandLine(new ClawCommand()).setOut(out).setErr(err).execute(args);
    }

    public static void main(String[] args) {
        LogFormat.install();
        int code = new CommandLine(new ClawCommand()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
