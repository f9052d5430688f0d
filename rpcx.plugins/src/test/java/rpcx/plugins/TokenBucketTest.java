package rpcx.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The token bucket's arithmetic, on a clock that moves only when told to. */
class TokenBucketTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void startsFullAndGivesExactlyTheBurstAtOnce() {
        TokenBucket b = TokenBucket.perSecond(10, 5, clock);
        assertEquals(5.0, b.available(), 1e-9);
        for (int i = 0; i < 5; i++) {
            assertTrue(b.tryTake(), "token " + i);
        }
        assertFalse(b.tryTake());
        assertFalse(b.tryTake());
        assertEquals(0.0, b.available(), 1e-9);
    }

    @Test
    void refillsOneTokenPerIntervalAndNeverAboveTheBurst() {
        TokenBucket b = TokenBucket.perSecond(10, 5, clock); // one token every 100 ms
        assertEquals(100_000_000L, b.intervalNanos());
        for (int i = 0; i < 5; i++) {
            b.tryTake();
        }
        clock.advance(Duration.ofMillis(99));
        assertFalse(b.tryTake());
        clock.advance(Duration.ofMillis(1));
        assertTrue(b.tryTake());
        assertFalse(b.tryTake());
        clock.advance(Duration.ofMillis(250)); // 2.5 tokens
        assertEquals(2.5, b.available(), 1e-9);
        assertTrue(b.tryTake());
        assertTrue(b.tryTake());
        assertFalse(b.tryTake());
        clock.advance(Duration.ofHours(1)); // long idle: full again, not more
        assertEquals(5.0, b.available(), 1e-9);
        int taken = 0;
        while (b.tryTake()) {
            taken++;
        }
        assertEquals(5, taken);
    }

    @Test
    void aRefusedTakeCostsNothing() {
        TokenBucket b = TokenBucket.perSecond(1, 1, clock);
        assertTrue(b.tryTake());
        for (int i = 0; i < 1000; i++) {
            assertFalse(b.tryTake());
        }
        clock.advance(Duration.ofSeconds(1));
        assertTrue(b.tryTake()); // the refusals did not push the next token back
    }

    @Test
    void aSustainedRateLetsThroughRateTimesTimePlusTheBurst() {
        TokenBucket b = TokenBucket.perSecond(100, 10, clock); // 10 ms per token
        int passed = 0;
        for (int ms = 0; ms < 10_000; ms++) { // 10 s, 5 attempts per ms
            for (int k = 0; k < 5; k++) {
                if (b.tryTake()) {
                    passed++;
                }
            }
            clock.advance(Duration.ofMillis(1));
        }
        assertEquals(10 + 100 * 10 - 1, passed, "the burst plus one token per 10 ms (the last one is due at 10 s)");
    }

    @Test
    void reservationsRunAheadByAtMostTheMaximumWait() {
        TokenBucket b = TokenBucket.perSecond(10, 2, clock); // 100 ms per token
        long max = Duration.ofMillis(250).toNanos();
        assertEquals(0, b.reserve(max));
        assertEquals(0, b.reserve(max));
        assertEquals(100_000_000L, b.reserve(max));
        assertEquals(200_000_000L, b.reserve(max));
        assertEquals(-1, b.reserve(max), "300 ms is over the maximum wait");
        assertEquals(-2.0, b.available(), 1e-9, "two tokens promised ahead");
        clock.advance(Duration.ofMillis(100));
        assertEquals(200_000_000L, b.reserve(max), "the refusal took nothing");
        clock.advance(Duration.ofSeconds(10));
        assertEquals(2.0, b.available(), 1e-9);
    }

    @Test
    void goStyleFillIntervalIsOneTokenPerInterval() {
        TokenBucket b = TokenBucket.everyNanos(TokenBucket.intervalOf(Duration.ofMillis(20)), 3, clock);
        assertEquals(3, b.burst());
        for (int i = 0; i < 3; i++) {
            assertTrue(b.tryTake());
        }
        assertFalse(b.tryTake());
        clock.advance(Duration.ofMillis(20));
        assertTrue(b.tryTake());
    }

    @Test
    void fractionalRatesRoundTheIntervalToTheNanosecond() {
        assertEquals(333_333_333L, TokenBucket.intervalOf(3));
        assertEquals(10_000_000_000L, TokenBucket.intervalOf(0.1));
        assertEquals(1L, TokenBucket.intervalOf(1e9));
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> TokenBucket.intervalOf(0));
        assertThrows(IllegalArgumentException.class, () -> TokenBucket.intervalOf(-1));
        assertThrows(IllegalArgumentException.class, () -> TokenBucket.intervalOf(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> TokenBucket.intervalOf(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> TokenBucket.intervalOf(2e9));
        assertThrows(IllegalArgumentException.class, () -> TokenBucket.intervalOf(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> TokenBucket.intervalOf(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> TokenBucket.perSecond(10, 0, clock));
        assertThrows(IllegalArgumentException.class, () -> TokenBucket.everyNanos(Long.MAX_VALUE / 2, 3, clock));
    }

    @Test
    void concurrentTakersGetExactlyTheBurst() throws Exception {
        TokenBucket b = TokenBucket.perSecond(1, 10, clock); // the clock stands still: no refill
        int threads = 8;
        AtomicInteger passed = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1000; i++) {
                    if (b.tryTake()) {
                        passed.incrementAndGet();
                    }
                }
            });
            th.start();
            all.add(th);
        }
        go.countDown();
        for (Thread th : all) {
            th.join();
        }
        assertEquals(10, passed.get());
    }
}
