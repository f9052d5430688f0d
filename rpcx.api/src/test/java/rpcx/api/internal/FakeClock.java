package rpcx.api.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/** A monotonic nanosecond clock that moves only when told to, and counts how often it is read. */
final class FakeClock implements LongSupplier {
    private final AtomicLong now;
    final AtomicInteger reads = new AtomicInteger();

    FakeClock() {
        this(1_000_000_000L);
    }

    FakeClock(long start) {
        now = new AtomicLong(start);
    }

    @Override
    public long getAsLong() {
        reads.incrementAndGet();
        return now.get();
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    void advanceNanos(long nanos) {
        now.addAndGet(nanos);
    }
}
