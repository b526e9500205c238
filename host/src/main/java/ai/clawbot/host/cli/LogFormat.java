package ai.clawbot.host.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One line per log record on stderr: time, level, logger, message. */
final class LogFormat extends Formatter {

    // JUL holds loggers weakly: keep the ones whose level we set, or the setting is lost to GC.
    private static final Logger[] QUIETED = {
        Logger.getLogger("org.pf4j"), Logger.getLogger("io.helidon"), Logger.getLogger("com.github.dockerjava"),
        Logger.getLogger("io.modelcontextprotocol"), Logger.getLogger("reactor")};

    static void install() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        ConsoleHandler h = new ConsoleHandler();
        h.setFormatter(new LogFormat());
        h.setLevel(Level.INFO);
        root.addHandler(h);
        root.setLevel(Level.INFO);
        for (Logger l : QUIETED) {
            l.setLevel(Level.WARNING);
        }
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
