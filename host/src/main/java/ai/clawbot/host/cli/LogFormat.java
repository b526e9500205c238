package ai.clawbot.host.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One line per log record on stderr: time, level, logger, message. */
final class LogFormat extends Formatter {

    static void install() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        ConsoleHandler h = new ConsoleHandler();
        h.setFormatter(new LogFormat());
        h.setLevel(Level.INFO);
        root.addHandler(h);
        root.setLevel(Level.INFO);
        Logger.getLogger("org.pf4j").setLevel(Level.WARNING);
        Logger.getLogger("io.helidon").setLevel(Level.WARNING);
        Logger.getLogger("com.github.dockerjava").setLevel(Level.WARNING);
    }

    @Override
    public String format(LogRecord r) {
        String name = r.getLoggerName() == null ? "" : r.getLoggerName().substring(r.getLoggerName().lastIndexOf('.') + 1);
        String msg = formatMessage(r);
        StringBuilder b = new StringBuilder().append(java.time.LocalTime.now().withNano(0)).append(' ')
                .append(r.getLevel().getName()).append(' ').append(name).append(": ").append(msg).append('\n');
        if (r.getThrown() != null) {
            b.append("  ").append(r.getThrown()).append('\n');
        }
        return b.toString();
    }
}
