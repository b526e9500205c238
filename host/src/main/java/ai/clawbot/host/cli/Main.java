package ai.clawbot.host.cli;

import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code claw}: the gateway and its operator commands. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LogFormat.install();
        // `claw gateway [--port N]`, how ./claw and service managers start it, skips picocli: its ~170 classes are
        // compiled for Java 5, so no class-data archive holds them, and loading and verifying them took ~200 ms of a
        // one-second start (CLAW_STARTUP_TRACE=1). Every other form, help and errors included, goes through picocli.
        java.util.Optional<GatewayCommand> gateway = GatewayCommand.plainStart(args);
        int code = gateway.isPresent() ? gateway.get().callReportingFailure() : run(null, null, args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs {@code claw ARGS} writing to {@code out} and {@code err} (null: the console); returns the exit code. */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl;
        String[] rest = args;
        Class<?> only = args.length == 0 ? null : topLevel(args[0]);
        if (only != null) {
            // Only the command asked for: picocli's model of every other command (about 60 classes with their
            // options) is not built, so new client commands do not slow `claw gateway`'s start (-Xlog:class+load:
            // 982 -> 920 classes loaded before the config is read).
            try {
                cl = new CommandLine(CommandLine.defaultFactory().create(only)).setCommandName("claw " + args[0]);
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the command " + args[0], e);
            }
            rest = Arrays.copyOfRange(args, 1, args.length);
        } else {
            cl = new CommandLine(new ClawCommand());
        }
        if (out != null) {
            cl.setOut(out);
        }
        if (err != null) {
            cl.setErr(err);
        }
        return cl.execute(rest);
    }

    /** The top-level subcommand named {@code name}, read from {@link ClawCommand}'s annotation; null if none. */
    private static Class<?> topLevel(String name) {
        for (Class<?> c : ClawCommand.class.getAnnotation(Command.class).subcommands()) {
            Command command = c.getAnnotation(Command.class);
            if (command != null && (command.name().equals(name) || Arrays.asList(command.aliases()).contains(name))) {
                return c;
            }
        }
        return null;
    }
}
