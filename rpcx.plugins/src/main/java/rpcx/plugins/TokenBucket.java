package rpcx.plugins;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket that starts full: {@code burst} tokens, one more every {@code interval} nanoseconds, never more
 * than {@code burst}. It is kept as one number, the time at which the bucket would be full again if nothing else
 * were taken (the "theoretical arrival time" of GCRA), updated with compare-and-set, so taking a token never locks
 * and never blocks.
 *
 * <p>With {@code t} that time and {@code now} the clock, the bucket holds {@code burst - max(0, t - now) / interval}
 * tokens. Taking one moves {@code t} to {@code max(t, now) + interval}; it is allowed when the new {@code t} is at
 * most {@code burst * interval} ahead of {@code now}. A reservation may run ahead further, by up to a maximum wait:
 * the caller then waits until the token exists.
 */
final class TokenBucket {
    private final long intervalNanos;
    private final long burst;
    private final long capacityNanos;
    private final LongSupplier clock;
    private final AtomicLong fullAt;

    /** A bucket of {@code burst} tokens refilled at {@code permitsPerSecond}; {@code clock} gives nanoseconds. */
    static TokenBucket perSecond(double permitsPerSecond, long burst, LongSupplier clock) {
        return new TokenBucket(intervalOf(permitsPerSecond), burst, clock);
    }

    /** A bucket of {@code burst} tokens, one more every {@code intervalNanos} (Go's {@code ratelimit.NewBucket}). */
    static TokenBucket everyNanos(long intervalNanos, long burst, LongSupplier clock) {
        return new TokenBucket(intervalNanos, burst, clock);
    }

    private TokenBucket(long intervalNanos, long burst, LongSupplier clock) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("the refill interval must be positive: " + intervalNanos + " ns");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("the burst (capacity) must be at least 1: " + burst);
        }
        try {
            this.capacityNanos = Math.multiplyExact(intervalNanos, burst);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("burst " + burst + " at one token every " + intervalNanos
                    + " ns is too large", e);
        }
        this.intervalNanos = intervalNanos;
        this.burst = burst;
        this.clock = clock;
        this.fullAt = new AtomicLong(clock.getAsLong());
    }

    /** Nanoseconds per token for a rate; rejects rates that are not positive and finite or finer than 1 ns. */
    static long intervalOf(double permitsPerSecond) {
        if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
            throw new IllegalArgumentException("the rate must be positive and finite: " + permitsPerSecond + " per second");
        }
        double nanos = 1e9 / permitsPerSecond;
        if (nanos < 1) {
            throw new IllegalArgumentException("the rate is above one per nanosecond: " + permitsPerSecond + " per second");
        }
        if (nanos >= Long.MAX_VALUE) {
            throw new IllegalArgumentException("the rate is too small: " + permitsPerSecond + " per second");
        }
        return Math.round(nanos);
    }

    /** Nanoseconds of a fill interval, which must be positive. */
    static long intervalOf(Duration fillInterval) {
        if (fillInterval == null || fillInterval.isNegative() || fillInterval.isZero()) {
            throw new IllegalArgumentException("the fill interval must be positive: " + fillInterval);
        }
        try {
            return fillInterval.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the fill interval is too long: " + fillInterval, e);
        }
    }

    /** Takes one token if there is one now. */
    boolean tryTake() {
        return reserve(0) == 0;
    }

    /**
     * Takes one token, now or in the future: returns how many nanoseconds the caller must wait for it (0 when it is
     * there now), or -1, taking nothing, when that wait would exceed {@code maxWaitNanos}.
     */
    long reserve(long maxWaitNanos) {
        while (true) {
            long now = clock.getAsLong();
            long t = fullAt.get();
            long from = t - now < 0 ? now : t;
            long next = from + intervalNanos;
            long wait = next - now - capacityNanos;
            if (wait > maxWaitNanos) {
                return -1;
            }
            if (fullAt.compareAndSet(t, next)) {
                return Math.max(0, wait);
            }
        }
    }

    /** The tokens there are now (fractional; negative while reservations run ahead). */
    double available() {
        long now = clock.getAsLong();
        long ahead = fullAt.get() - now;
        return burst - (double) Math.max(0, ahead) / intervalNanos;
    }

    /** Nanoseconds per token. */
    long intervalNanos() {
        return intervalNanos;
    }

    /** The capacity. */
    long burst() {
        return burst;
    }

    /** The clock this bucket reads. */
    LongSupplier clock() {
        return clock;
    }
}
