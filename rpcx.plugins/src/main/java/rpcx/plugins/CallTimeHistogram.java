package rpcx.plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Call times in fixed buckets (upper bounds {@link #BOUNDS_NANOS}, then one bucket without bound), with their sum,
 * minimum and maximum. Percentiles are estimated from the buckets: the bucket holding the rank, interpolated
 * linearly inside it, and kept within the observed minimum and maximum (so all-equal times give that time exactly).
 */
final class CallTimeHistogram {
    /** The bucket upper bounds (inclusive): 50 µs to 10 s, in 1-2.5-5 steps. */
    static final long[] BOUNDS_NANOS = {
            50_000L, 100_000L, 250_000L, 500_000L,
            1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L,
            100_000_000L, 250_000_000L, 500_000_000L,
            1_000_000_000L, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L};

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS_NANOS.length + 1);
    private final LongAdder sumNanos = new LongAdder();
    private final AtomicLong min = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong max = new AtomicLong(Long.MIN_VALUE);

    /** Records one call time. */
    void record(long nanos) {
        long n = Math.max(0, nanos);
        counts.incrementAndGet(bucketOf(n));
        sumNanos.add(n);
        min.accumulateAndGet(n, Math::min);
        max.accumulateAndGet(n, Math::max);
    }

    static int bucketOf(long nanos) {
        int lo = 0;
        int hi = BOUNDS_NANOS.length; // the unbounded bucket
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (nanos <= BOUNDS_NANOS[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The numbers now. */
    MetricsSnapshot.CallTime snapshot() {
        long[] c = new long[counts.length()];
        long n = 0;
        for (int i = 0; i < c.length; i++) {
            c[i] = counts.get(i);
            n += c[i];
        }
        List<MetricsSnapshot.Bucket> buckets = new ArrayList<>(c.length);
        for (int i = 0; i < c.length; i++) {
            double bound = i < BOUNDS_NANOS.length ? millis(BOUNDS_NANOS[i]) : Double.POSITIVE_INFINITY;
            buckets.add(new MetricsSnapshot.Bucket(bound, c[i]));
        }
        if (n == 0) {
            return new MetricsSnapshot.CallTime(0, 0, 0, 0, 0, 0, 0, List.copyOf(buckets));
        }
        long lo = min.get();
        long hi = max.get();
        return new MetricsSnapshot.CallTime(n, millis(sumNanos.sum()) / n, millis(lo), millis(hi),
                millis(percentile(c, n, 0.50, lo, hi)), millis(percentile(c, n, 0.90, lo, hi)),
                millis(percentile(c, n, 0.99, lo, hi)), List.copyOf(buckets));
    }

    /** The q-quantile (0 &lt; q &lt;= 1) of {@code n} values counted in the buckets, in nanoseconds. */
    static double percentile(long[] c, long n, double q, long min, long max) {
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long before = 0;
        for (int i = 0; i < c.length; i++) {
            if (c[i] == 0) {
                continue;
            }
            if (before + c[i] >= rank) {
                double lower = i == 0 ? 0 : BOUNDS_NANOS[i - 1];
                double upper = i < BOUNDS_NANOS.length ? BOUNDS_NANOS[i] : max;
                double v = lower + (upper - lower) * (rank - before) / c[i];
                return Math.min(max, Math.max(min, v));
            }
            before += c[i];
        }
        return max;
    }

    private static double millis(double nanos) {
        return nanos / 1e6;
    }
}
