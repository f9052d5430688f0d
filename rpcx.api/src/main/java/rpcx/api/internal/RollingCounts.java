package rpcx.api.internal;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Failures and successes over a rolling time window split into buckets (rubyist's {@code window}: 10 s in 10
 * buckets by default). A bucket covers {@code window / buckets}; an outcome ages out once its bucket falls out of
 * the last {@code buckets} buckets, so the window is exact to one bucket. Running totals make every operation
 * O(1) amortised. Not thread-safe: callers synchronize.
 */
final class RollingCounts {
    private final LongSupplier clock;
    private final long origin;
    private final long bucketNanos;
    private final long[] failures;
    private final long[] successes;
    /** The bucket number (time since origin / bucket length) of the newest bucket. */
    private long current;
    private long totalFailures;
    private long totalSuccesses;

    /**
     * @param windowNanos the window, >= buckets
     * @param buckets     how many buckets it is split into, >= 1
     * @param clock       monotonic nanoseconds
     */
    RollingCounts(long windowNanos, int buckets, LongSupplier clock) {
        if (buckets < 1 || windowNanos < buckets) {
            throw new IllegalArgumentException("window must cover at least one nanosecond per bucket");
        }
        this.clock = clock;
        this.origin = clock.getAsLong();
        this.bucketNanos = windowNanos / buckets;
        this.failures = new long[buckets];
        this.successes = new long[buckets];
    }

    /** Records a failure. */
    void addFailure() {
        int slot = roll();
        failures[slot]++;
        totalFailures++;
    }

    /** Records a success. */
    void addSuccess() {
        int slot = roll();
        successes[slot]++;
        totalSuccesses++;
    }

    /** Failures inside the window. */
    long failures() {
        roll();
        return totalFailures;
    }

    /** Successes inside the window. */
    long successes() {
        roll();
        return totalSuccesses;
    }

    /** Forgets everything. */
    void clear() {
        Arrays.fill(failures, 0);
        Arrays.fill(successes, 0);
        totalFailures = 0;
        totalSuccesses = 0;
    }

    /** Empties the buckets that have aged out since the last call; returns the newest bucket's slot. */
    private int roll() {
        int n = failures.length;
        long now = Math.floorDiv(clock.getAsLong() - origin, bucketNanos);
        if (now > current) {
            if (now - current >= n) {
                clear();
            } else {
                for (long b = current + 1; b <= now; b++) {
                    int slot = (int) Math.floorMod(b, (long) n);
                    totalFailures -= failures[slot];
                    totalSuccesses -= successes[slot];
                    failures[slot] = 0;
                    successes[slot] = 0;
                }
            }
            current = now;
        }
        return (int) Math.floorMod(current, (long) n);
    }
}
