package ai.clawbot.host.observe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * A JUL handler keeping the last lines in memory for {@code logs.tail}, bounded by count and bytes.
 * Each line is redacted before it is stored or handed to a subscriber; nothing unredacted is kept.
 * Formatting and redaction run outside the lock; storing and snapshotting are short critical sections,
 * and tail filters run on a copy, so a slow filter never holds up logging.
 */
public final class LogRing extends Handler {

    public static final int DEFAULT_MAX_LINES = 5_000;
    public static final long DEFAULT_MAX_BYTES = 2L * 1024 * 1024;
    /** A longer message is cut to this many UTF-8 bytes, ending with {@link #CUT_MARK}. */
    public static final int MAX_LINE_BYTES = 8 * 1024;
    public static final int MAX_TAIL_LIMIT = 1_000;
    public static final int MAX_TAIL_BYTES = 1024 * 1024;
    public static final int MAX_SUBSCRIBERS = 256;
    public static final String CUT_MARK = " [truncated]";
    /** What a stored line costs besides its text (cursor, time, references), for the byte bound. */
    static final int LINE_OVERHEAD = 64;

    /** A live follow; closing it stops delivery. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final SecretRedactor redactor;
    private final long maxBytes;
    private final LogLine[] ring;
    private final int[] sizes;
    private int head;
    private int count;
    private long bytes;
    private long lastCursor;
    private final CopyOnWriteArrayList<Consumer<LogLine>> subscribers = new CopyOnWriteArrayList<>();
    // A subscriber that logs must not recurse into itself: lines it causes are stored, not delivered.
    private final ThreadLocal<Boolean> delivering = ThreadLocal.withInitial(() -> false);
    private volatile boolean closed;

    private LogRing(SecretRedactor redactor, int maxLines, long maxBytes) {
        this.redactor = Objects.requireNonNull(redactor, "redactor");
        this.maxBytes = maxBytes;
        this.ring = new LogLine[maxLines];
        this.sizes = new int[maxLines];
        this.lastCursor = System.currentTimeMillis() * 1000;
    }

    public static LogRing create(SecretRedactor redactor) {
        return create(redactor, DEFAULT_MAX_LINES, DEFAULT_MAX_BYTES);
    }

    /** @throws IllegalArgumentException unless 1 <= maxLines <= 1,000,000 and maxBytes >= 1 */
    public static LogRing create(SecretRedactor redactor, int maxLines, long maxBytes) {
        if (maxLines < 1 || maxLines > 1_000_000) {
            throw new IllegalArgumentException("maxLines must be 1..1000000, got " + maxLines);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
        }
        return new LogRing(redactor, maxLines, maxBytes);
    }

    @Override
    public void publish(LogRecord r) {
        if (closed || r == null || !isLoggable(r)) {
            return;
        }
        LogLine line;
        try {
            String logger = r.getLoggerName() == null ? "" : redactor.redact(r.getLoggerName());
            line = store(r.getInstant().toEpochMilli(), r.getLevel().getName(), logger, message(r));
        } catch (RuntimeException e) {
            reportError("log ring could not store a record", e, ErrorManager.WRITE_FAILURE);
            return;
        }
        deliver(line);
    }

    /** Redacts first, then cuts: a secret across the cut is masked whole, never half shown. */
    private String message(LogRecord r) {
        String raw = RecordText.of(r);
        String text = redactor.redact(raw, MAX_LINE_BYTES); // 8 KiB never holds more than 8 Ki chars
        if (raw.length() > MAX_LINE_BYTES || Utf8.length(text) > MAX_LINE_BYTES) {
            text = Utf8.truncate(text, MAX_LINE_BYTES - CUT_MARK.length()) + CUT_MARK;
        }
        return text;
    }

    private synchronized LogLine store(long ts, String level, String logger, String message) {
        LogLine line = new LogLine(++lastCursor, ts, level, logger, message);
        if (count == ring.length) {
            evictOldest();
        }
        int at = (head + count) % ring.length;
        ring[at] = line;
        sizes[at] = Utf8.length(message) + Utf8.length(logger) + level.length() + LINE_OVERHEAD;
        bytes += sizes[at];
        count++;
        while (count > 1 && bytes > maxBytes) {
            evictOldest(); // the newest line is always kept, whatever its size
        }
        return line;
    }

    private void evictOldest() {
        bytes -= sizes[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        count--;
    }

    private void deliver(LogLine line) {
        if (subscribers.isEmpty() || delivering.get()) {
            return;
        }
        delivering.set(true);
        try {
            for (Consumer<LogLine> s : subscribers) {
                try {
                    s.accept(line);
                } catch (Throwable e) { // a subscriber must not break the logging caller
                    if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                        throw e;
                    }
                    reportError("log subscriber failed", e instanceof Exception ex ? ex : new RuntimeException(e),
                            ErrorManager.GENERIC_FAILURE);
                }
            }
        } finally {
            delivering.set(false);
        }
    }

    /**
     * Follows new lines as they are stored. The subscriber runs on the logging thread, so it must be
     * quick and must not block (hand off to a queue); what it throws is reported and ignored. Lines
     * logged by concurrent threads may arrive slightly out of cursor order.
     *
     * @throws IllegalStateException when closed or {@link #MAX_SUBSCRIBERS} are already following
     */
    public Subscription subscribe(Consumer<LogLine> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        Consumer<LogLine> own = subscriber::accept; // a distinct identity, so close() removes only this one
        synchronized (subscribers) {
            if (closed) {
                throw new IllegalStateException("log ring is closed");
            }
            if (subscribers.size() >= MAX_SUBSCRIBERS) {
                throw new IllegalStateException("too many log subscribers (max " + MAX_SUBSCRIBERS + ")");
            }
            subscribers.add(own);
        }
        return () -> subscribers.remove(own);
    }

    /**
     * Lines for {@code logs.tail}. Without a cursor: the newest {@code limit} lines that pass the
     * filter. With one: the lines after it, oldest first; if it is not continuous with the ring
     * ({@link LogTail#reset()}) from the oldest line kept. {@code maxBytes} counts message bytes
     * (UTF-8); the first line is always returned, its message cut to fit if need be, so a client
     * always makes progress.
     *
     * @param filter null for all lines; runs outside the ring's lock
     * @throws IllegalArgumentException unless 1 <= limit <= 1000, 1 <= maxBytes <= 1 MiB, cursor >= 0
     */
    public LogTail tail(Long cursor, int limit, int maxBytes, Predicate<LogLine> filter) {
        if (limit < 1 || limit > MAX_TAIL_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_TAIL_LIMIT + ", got " + limit);
        }
        if (maxBytes < 1 || maxBytes > MAX_TAIL_BYTES) {
            throw new IllegalArgumentException("maxBytes must be 1.." + MAX_TAIL_BYTES + ", got " + maxBytes);
        }
        if (cursor != null && cursor < 0) {
            throw new IllegalArgumentException("cursor must be >= 0, got " + cursor);
        }
        Predicate<LogLine> pass = filter == null ? l -> true : filter;
        LogLine[] lines;
        long last;
        boolean reset = false;
        synchronized (this) {
            last = lastCursor;
            long oldest = last - count + 1;
            long from = oldest;
            if (cursor != null) {
                reset = cursor > last || cursor < oldest - 1;
                from = reset ? oldest : cursor + 1;
            }
            lines = copy((int) (from - oldest));
        }
        return cursor == null ? newest(lines, last, limit, maxBytes, pass) : after(lines, last, limit, maxBytes, pass, reset);
    }

    private LogLine[] copy(int skip) {
        LogLine[] out = new LogLine[count - skip];
        for (int i = 0; i < out.length; i++) {
            out[i] = ring[(head + skip + i) % ring.length];
        }
        return out;
    }

    private static LogTail after(LogLine[] lines, long last, int limit, int maxBytes, Predicate<LogLine> pass, boolean reset) {
        List<LogLine> out = new ArrayList<>();
        boolean truncated = take(Arrays.asList(lines), out, limit, maxBytes, pass);
        return new LogTail(truncated ? out.get(out.size() - 1).cursor() : last, out, truncated, reset);
    }

    private static LogTail newest(LogLine[] lines, long last, int limit, int maxBytes, Predicate<LogLine> pass) {
        List<LogLine> out = new ArrayList<>();
        List<LogLine> newestFirst = Arrays.asList(lines);
        Collections.reverse(newestFirst);
        boolean truncated = take(newestFirst, out, limit, maxBytes, pass);
        Collections.reverse(out);
        // What was cut is older than what is returned, so the client continues from the newest line.
        return new LogTail(last, out, truncated, false);
    }

    /** Fills {@code out} in the order given; true when a passing line was left out or cut. */
    private static boolean take(List<LogLine> in, List<LogLine> out, int limit, int maxBytes, Predicate<LogLine> pass) {
        int used = 0;
        for (LogLine line : in) {
            if (!pass.test(line)) {
                continue;
            }
            int size = Utf8.length(line.message());
            if (out.size() == limit || (!out.isEmpty() && used + size > maxBytes)) {
                return true;
            }
            if (size > maxBytes) {
                out.add(line.withMessage(Utf8.truncate(line.message(), maxBytes)));
                return true;
            }
            out.add(line);
            used += size;
        }
        return false;
    }

    /** The cursor of the newest line stored (or the starting point, before any line). */
    public synchronized long lastCursor() {
        return lastCursor;
    }

    public synchronized int size() {
        return count;
    }

    @Override
    public void flush() {
    }

    /** Stops storing and delivering; what is stored can still be tailed. */
    @Override
    public void close() {
        synchronized (subscribers) {
            closed = true;
            subscribers.clear();
        }
    }
}
