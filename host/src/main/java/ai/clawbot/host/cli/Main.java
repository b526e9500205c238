package ai.clawbot.host.cli;

import picocli.CommandLine;

/** {@code claw}: the gateway and its operator commands. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LogFormat.install();
        int code = new CommandLine(new ClawCommand()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
