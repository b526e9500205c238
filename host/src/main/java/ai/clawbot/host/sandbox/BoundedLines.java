package ai.clawbot.host.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a byte stream into lines, with a cap on the total bytes accepted: past it, the stream is
 * declared flooded once and the rest is dropped (the caller kills the container).
 */
final class BoundedLines {

    private final long maxBytes;
    private final Consumer<String> onLine;
    private final Runnable onFlood;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long total;
    private boolean flooded;

    BoundedLines(long maxBytes, Consumer<String> onLine, Runnable onFlood) {
        this.maxBytes = maxBytes;
        this.onLine = onLine;
        this.onFlood = onFlood;
    }

    /** A new allowance (per call); a flooded stream stays flooded. */
    synchronized void reset() {
        total = line.size();
    }

    synchronized void feed(byte[] bytes) {
        if (flooded) {
            return;
        }
        total += bytes.length;
        if (total > maxBytes) {
            flooded = true;
            line.reset();
            onFlood.run();
            return;
        }
        for (byte b : bytes) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (!s.isBlank()) {
                    onLine.accept(s);
                }
            } else {
                line.write(b);
            }
        }
    }
}
