package rpcx.plugins;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A nanosecond clock that moves only when told to. */
final class FakeClock implements LongSupplier {
    private final AtomicLong now;

    FakeClock() {
        this(1_000_000_000_000L);
    }

    FakeClock(long start) {
        this.now = new AtomicLong(start);
    }

    @Override
    public long getAsLong() {
        return now.get();
    }

    FakeClock advance(Duration d) {
        now.addAndGet(d.toNanos());
        return this;
    }

    FakeClock advanceNanos(long nanos) {
        now.addAndGet(nanos);
        return this;
    }
}
