package rpcx.cli;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in nanoseconds, counted in log-linear buckets (32 per power of two, so any percentile is within about
 * 3 % of the true value); the maximum is exact. Thread-safe. Written here rather than taken from HdrHistogram
 * because HdrHistogram is an automatic module, which a jlink image cannot hold, and the tool lives in the image.
 */
final class LatencyHistogram {
    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;
    private final AtomicLongArray counts = new AtomicLongArray((64 - SUB_BITS + 1) * SUB);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong max = new AtomicLong();

    /** Row 0 holds 0..31 exactly; row r >= 1 holds [32, 64) << (r - 1) in 32 buckets of width 2^(r - 1). */
    static int index(long nanos) {
        long v = Math.max(0, nanos);
        if (v < SUB) {
            return (int) v;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS;
        return (shift + 1) * SUB + (int) ((v >>> shift) - SUB);
    }

    /** The smallest value counted in bucket {@code index}. */
    static long lowest(int index) {
        int row = index / SUB;
        long sub = index % SUB;
        return row == 0 ? sub : (SUB + sub) << (row - 1);
    }

    void record(long nanos) {
        counts.incrementAndGet(index(nanos));
        total.incrementAndGet();
        max.accumulateAndGet(nanos, Math::max);
    }

    long count() {
        return total.get();
    }

    long max() {
        return max.get();
    }

    /** The value at this fraction (0..1) of the recorded latencies, the middle of its bucket; 0 when empty. */
    long percentile(double fraction) {
        long n = total.get();
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * n));
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                long low = lowest(i);
                long high = i + 1 < counts.length() ? lowest(i + 1) - 1 : Long.MAX_VALUE;
                return Math.min(max.get(), low + (high - low) / 2);
            }
        }
        return max.get();
    }
}
