package rpcx.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import rpcx.api.spi.CircuitBreaker;
import rpcx.api.spi.CircuitBreaker.State;

/** The {@code threshold} breaker (rubyist's ThresholdBreaker) on a fake clock. */
class ThresholdBreakerTest {
    private final FakeClock clock = new FakeClock();

    private CircuitBreaker breaker(Map<String, String> settings) {
        return new ThresholdBreakerProvider().create(settings, clock);
    }

    private static void assertOpen(CircuitBreaker b) {
        assertEquals(State.OPEN, b.state());
        assertFalse(b.ready());
    }

    @Test
    void staysClosedBelowTheThresholdAndSuccessesDoNotLowerTheCount() {
        CircuitBreaker b = breaker(Map.of("threshold", "5"));
        for (int i = 0; i < 4; i++) {
            b.fail();
            b.success();
            b.success();
            assertEquals(State.CLOSED, b.state());
            assertTrue(b.ready());
        }
        b.fail();
        assertOpen(b); // the fifth failure, though never two in a row
    }

    @Test
    void opensForOpenTimeoutThenOneProbeClosesAndClearsTheCount() {
        CircuitBreaker b = breaker(Map.of("threshold", "3", "openTimeout", "PT5S"));
        b.fail();
        b.fail();
        b.fail();
        assertOpen(b);
        clock.advance(Duration.ofSeconds(5).minusNanos(1));
        assertOpen(b);
        clock.advanceNanos(1);
        assertEquals(State.HALF_OPEN, b.state());
        assertTrue(b.ready());
        assertFalse(b.ready());
        b.success();
        assertEquals(State.CLOSED, b.state());
        b.fail();
        b.fail();
        assertEquals(State.CLOSED, b.state(), "the count was cleared on closing");
        b.fail();
        assertOpen(b);
    }

    @Test
    void aFailedProbeReopensForAFreshOpenTimeout() {
        CircuitBreaker b = breaker(Map.of("threshold", "1", "openTimeout", "PT5S", "halfOpenProbes", "2"));
        b.fail();
        clock.advance(Duration.ofSeconds(5));
        assertTrue(b.ready());
        assertTrue(b.ready());
        assertFalse(b.ready());
        b.fail();
        assertOpen(b);
        clock.advance(Duration.ofSeconds(4));
        assertOpen(b);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(State.HALF_OPEN, b.state());
    }

    @Test
    void defaultOpenTimeoutIsHalfASecond() {
        CircuitBreaker b = breaker(Map.of());
        for (int i = 0; i < 5; i++) {
            b.fail();
        }
        assertOpen(b);
        clock.advance(Duration.ofMillis(499));
        assertOpen(b);
        clock.advance(Duration.ofMillis(1));
        assertTrue(b.ready());
    }

    @Test
    void failuresAgeOutOfTheWindow() {
        CircuitBreaker b = breaker(Map.of("threshold", "3", "window", "PT10S"));
        b.fail();
        b.fail();
        clock.advance(Duration.ofSeconds(10));
        b.fail();
        assertEquals(State.CLOSED, b.state(), "the first two failures aged out");
        clock.advance(Duration.ofSeconds(5));
        b.fail();
        clock.advance(Duration.ofSeconds(4));
        b.fail();
        assertOpen(b); // three failures within 9 s
    }
}
