package ai.clawbot.host.observe;

import java.util.Objects;

/**
 * One stored log line, already redacted. {@code cursor} grows by one per line in a process and starts
 * from the wall clock in microseconds, so a cursor kept from an earlier process reads as too old.
 *
 * @param ts epoch milliseconds of the record
 * @param level the JUL level name (INFO, WARNING, ...)
 * @param logger the full logger name ("" when none)
 * @param message the formatted message, with the thrown exception's summary on following lines
 */
public record LogLine(long cursor, long ts, String level, String logger, String message) {

    public LogLine {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(message, "message");
    }

    LogLine withMessage(String m) {
        return new LogLine(cursor, ts, level, logger, m);
    }
}
