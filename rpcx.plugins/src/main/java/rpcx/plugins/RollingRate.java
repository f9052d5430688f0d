package rpcx.plugins;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Counts events over the last second, in ten 100 ms slots (Go's meters give {@code Read_Qps}/{@code Write_Qps}
 * as decaying averages; this is the plain count of the last second, which is what "QPS" is read as). The window is
 * the current slot and the nine before it, so it covers between 0.9 and 1 second. Lock-free: each slot holds its
 * slot number and its count in one long, reset by the first event of a new slot.
 */
final class RollingRate {
    static final int SLOTS = 10;
    static final long SLOT_NANOS = 100_000_000L;
    private static final int COUNT_BITS = 24;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

    private final LongSupplier clock;
    private final long origin;
    private final AtomicLongArray cells = new AtomicLongArray(SLOTS);

    RollingRate(LongSupplier clock) {
        this.clock = clock;
        this.origin = clock.getAsLong();
    }

    private long slotNow() {
        return Math.max(0, clock.getAsLong() - origin) / SLOT_NANOS;
    }

    /** Counts one event now. */
    void mark() {
        long slot = slotNow();
        int i = (int) (slot % SLOTS);
        while (true) {
            long v = cells.get(i);
            long next;
            if (v >>> COUNT_BITS == slot) {
                if ((v & COUNT_MASK) == COUNT_MASK) {
                    return; // saturated: 16.7 million events in 100 ms
                }
                next = v + 1;
            } else if (v >>> COUNT_BITS > slot) {
                return; // a later slot already: this event is late, drop it
            } else {
                next = (slot << COUNT_BITS) | 1;
            }
            if (cells.compareAndSet(i, v, next)) {
                return;
            }
        }
    }

    /** Events in the last second. */
    long lastSecond() {
        long slot = slotNow();
        long sum = 0;
        for (int i = 0; i < SLOTS; i++) {
            long v = cells.get(i);
            long s = v >>> COUNT_BITS;
            if (s <= slot && slot - s < SLOTS) {
                sum += v & COUNT_MASK;
            }
        }
        return sum;
    }
}
