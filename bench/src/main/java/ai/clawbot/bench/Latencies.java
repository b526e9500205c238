package ai.clawbot.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Percentiles two ways: exact over a sample array (sequential phases), and a lock-free log-linear
 * histogram (8 buckets per power of two, so within 12.5%) that a thousand clients can share.
 */
final class Latencies {

    private static final int SUB = 8;
    private final AtomicLongArray buckets = new AtomicLongArray(64 * SUB);

    static long percentile(long[] samples, double pct) {
        long[] s = samples.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.floor(s.length * pct / 100.0))];
    }

    void record(long nanos) {
        buckets.incrementAndGet(index(Math.max(1, nanos)));
    }

    private static int index(long v) {
        int exp = 63 - Long.numberOfLeadingZeros(v);
        if (exp < 3) {
            return (int) v;
        }
        return exp * SUB + (int) ((v >>> (exp - 3)) & (SUB - 1));
    }

    /** The upper edge of the bucket holding the pct-th percentile (nanos); 0 when empty. */
    long percentile(double pct) {
        long total = 0;
        for (int i = 0; i < buckets.length(); i++) {
            total += buckets.get(i);
        }
        long rank = (long) Math.ceil(total * pct / 100.0);
        long seen = 0;
        for (int i = 0; i < buckets.length(); i++) {
            seen += buckets.get(i);
            if (seen >= rank && seen > 0) {
                return upper(i);
            }
        }
        return 0;
    }

    private static long upper(int i) {
        if (i < 3 * SUB) {
            return i;
        }
        int exp = i / SUB;
        long sub = i % SUB;
        return ((SUB + sub + 1) << (exp - 3)) - 1;
    }
}
