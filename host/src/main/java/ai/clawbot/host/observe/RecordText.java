package ai.clawbot.host.observe;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/** The raw text of a record: its formatted message, then a short summary of what it threw. */
final class RecordText {

    static final int MAX_FRAMES = 5;
    static final int MAX_CAUSES = 4;

    // formatMessage is stateless (parameters, resource bundle); format() is never called.
    private static final Formatter MESSAGES = new Formatter() {
        @Override
        public String format(LogRecord r) {
            return formatMessage(r);
        }
    };

    private RecordText() {
    }

    static String of(LogRecord r) {
        String msg = MESSAGES.formatMessage(r);
        if (msg == null) {
            msg = "";
        }
        Throwable t = r.getThrown();
        if (t == null) {
            return msg;
        }
        StringBuilder b = new StringBuilder(msg);
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int depth = 0; t != null && depth <= MAX_CAUSES && seen.add(t); depth++, t = t.getCause()) {
            b.append(depth == 0 ? "\n  " : "\n  Caused by: ").append(describe(t));
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(MAX_FRAMES, frames.length); i++) {
                b.append("\n    at ").append(frames[i]);
            }
            if (frames.length > MAX_FRAMES) {
                b.append("\n    ... ").append(frames.length - MAX_FRAMES).append(" more");
            }
        }
        return b.toString();
    }

    // A hostile or broken toString() must not lose the line.
    private static String describe(Throwable t) {
        try {
            return String.valueOf(t);
        } catch (RuntimeException e) {
            return t.getClass().getName();
        }
    }
}
