package rpcx.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import rpcx.api.spi.CircuitBreaker;
import rpcx.api.spi.CircuitBreaker.State;

/** The {@code rate} breaker (rubyist's RateBreaker) on a fake clock. */
class RateBreakerTest {
    private final FakeClock clock = new FakeClock();

    private CircuitBreaker breaker(Map<String, String> settings) {
        return new RateBreakerProvider().create(settings, clock);
    }

    private static void assertOpen(CircuitBreaker b) {
        assertEquals(State.OPEN, b.state());
        assertFalse(b.ready());
    }

    private static void times(int n, Runnable r) {
        for (int i = 0; i < n; i++) {
            r.run();
        }
    }

    @Test
    void doesNotTripBelowMinSamples() {
        CircuitBreaker b = breaker(Map.of("rate", "0.5", "minSamples", "10"));
        times(9, b::fail);
        assertEquals(State.CLOSED, b.state(), "100% failures but only 9 samples");
        assertTrue(b.ready());
        b.fail();
        assertOpen(b);
    }

    @Test
    void opensExactlyWhenTheRateIsReached() {
        CircuitBreaker b = breaker(Map.of("rate", "0.5", "minSamples", "10"));
        times(6, b::success);
        times(5, b::fail); // 5/11
        assertEquals(State.CLOSED, b.state());
        b.fail(); // 6/12
        assertOpen(b);
    }

    @Test
    void defaultsAreRubyistsRateBreakerOfGoRpcx() {
        CircuitBreaker b = breaker(Map.of()); // RateBreaker(0.95, 100)
        times(5, b::success);
        times(94, b::fail); // 99 samples
        assertEquals(State.CLOSED, b.state());
        b.fail(); // 95/100
        assertOpen(b);
    }

    @Test
    void oldOutcomesAgeOut() {
        CircuitBreaker b = breaker(Map.of("rate", "0.5", "minSamples", "10", "window", "PT10S"));
        times(9, b::fail);
        clock.advance(Duration.ofSeconds(10));
        b.fail();
        assertEquals(State.CLOSED, b.state(), "the nine old failures aged out: one sample");
        times(8, b::fail);
        assertEquals(State.CLOSED, b.state());

        // old successes age out too: 20 successes, then a burst of failures a window later
        CircuitBreaker c = breaker(Map.of("rate", "0.5", "minSamples", "10", "window", "PT10S"));
        times(20, c::success);
        clock.advance(Duration.ofSeconds(5));
        times(10, c::fail); // 10/30
        assertEquals(State.CLOSED, c.state());
        clock.advance(Duration.ofSeconds(5)); // the successes' bucket leaves the window
        c.fail(); // 11/11
        assertOpen(c);
    }

    @Test
    void probeSuccessClosesAndMinSamplesMustBeReachedAgain() {
        CircuitBreaker b = breaker(Map.of("rate", "0.5", "minSamples", "4", "openTimeout", "PT1S"));
        times(4, b::fail);
        assertOpen(b);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(State.HALF_OPEN, b.state());
        assertTrue(b.ready());
        assertFalse(b.ready());
        b.success();
        assertEquals(State.CLOSED, b.state());
        times(3, b::fail);
        assertEquals(State.CLOSED, b.state());
        b.fail();
        assertOpen(b);
    }

    @Test
    void probeFailureReopensForAFreshOpenTimeout() {
        CircuitBreaker b = breaker(Map.of("rate", "1", "minSamples", "1", "openTimeout", "PT1S"));
        b.fail();
        clock.advance(Duration.ofSeconds(1));
        assertTrue(b.ready());
        b.fail();
        assertOpen(b);
        clock.advance(Duration.ofMillis(999));
        assertOpen(b);
        clock.advance(Duration.ofMillis(1));
        assertTrue(b.ready());
    }
}
