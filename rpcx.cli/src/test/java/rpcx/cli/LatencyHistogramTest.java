package rpcx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void everyValueFallsInABucketWithinThreePercent() {
        Random random = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong() >>> (1 + random.nextInt(63)); // 0 .. Long.MAX_VALUE
            int index = LatencyHistogram.index(v);
            long low = LatencyHistogram.lowest(index);
            long next = LatencyHistogram.lowest(index + 1);
            assertTrue(low <= v && (v < next || next <= low), v + " in [" + low + ", " + next + ")");
            assertTrue(next - low <= Math.max(1, low / 31), "bucket of " + v + " is " + (next - low) + " wide");
        }
        assertEquals(0, LatencyHistogram.index(0));
        assertEquals(31, LatencyHistogram.index(31));
        assertEquals(32, LatencyHistogram.lowest(LatencyHistogram.index(32)));
    }

    @Test
    void percentilesOfAKnownSpread() {
        LatencyHistogram h = new LatencyHistogram();
        for (long us = 1; us <= 1000; us++) {
            h.record(us * 1000);
        }
        assertEquals(1000, h.count());
        assertEquals(1_000_000, h.max());
        assertEquals(500_000, h.percentile(0.5), 500_000 * 0.03);
        assertEquals(990_000, h.percentile(0.99), 990_000 * 0.03);
        assertTrue(h.percentile(1.0) <= h.max());
        assertEquals(0, new LatencyHistogram().percentile(0.5));
    }
}
