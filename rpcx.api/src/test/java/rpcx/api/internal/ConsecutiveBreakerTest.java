package rpcx.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import rpcx.api.spi.CircuitBreaker;
import rpcx.api.spi.CircuitBreaker.State;

/** The {@code consecutive} breaker (Go's ConsecCircuitBreaker) on a fake clock. */
class ConsecutiveBreakerTest {
    private final FakeClock clock = new FakeClock();

    private CircuitBreaker breaker(Map<String, String> settings) {
        return new ConsecutiveBreakerProvider().create(settings, clock);
    }

    private static void assertOpen(CircuitBreaker b) {
        assertEquals(State.OPEN, b.state());
        assertFalse(b.ready());
        assertEquals(State.OPEN, b.state());
    }

    @Test
    void tutorialExampleTwoFailuresOpenThirtySecondsLaterOneProbeClosesOnSuccess() {
        CircuitBreaker b = breaker(Map.of("failureThreshold", "2", "window", "PT30S"));
        assertTrue(b.ready());
        b.fail();
        assertEquals(State.CLOSED, b.state());
        assertTrue(b.ready());
        b.fail();
        assertOpen(b);

        clock.advance(Duration.ofSeconds(30).minusNanos(1));
        assertOpen(b);
        clock.advanceNanos(1);
        assertEquals(State.HALF_OPEN, b.state());
        assertTrue(b.ready(), "30 s later one probe goes");
        assertFalse(b.ready(), "and only one");
        assertFalse(b.ready());
        assertEquals(State.HALF_OPEN, b.state());
        b.success();
        assertEquals(State.CLOSED, b.state());
        for (int i = 0; i < 10; i++) {
            assertTrue(b.ready());
        }
        b.fail();
        assertEquals(State.CLOSED, b.state(), "the count started again from zero");
        b.fail();
        assertOpen(b);
    }

    @Test
    void staysClosedBelowTheThresholdAndASuccessResetsTheCount() {
        CircuitBreaker b = breaker(Map.of());
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                b.fail();
                assertEquals(State.CLOSED, b.state());
                assertTrue(b.ready());
            }
            b.success();
        }
        for (int i = 0; i < 4; i++) {
            b.fail();
        }
        assertEquals(State.CLOSED, b.state());
        b.fail();
        assertOpen(b); // exactly at the default threshold 5
    }

    @Test
    void aFailureMoreThanWindowAfterThePreviousRestartsTheCount() {
        CircuitBreaker b = breaker(Map.of("failureThreshold", "3", "window", "PT10S"));
        b.fail();
        b.fail();
        clock.advance(Duration.ofSeconds(10).plusNanos(1));
        b.fail();
        assertEquals(State.CLOSED, b.state(), "restarted at 1");
        clock.advance(Duration.ofSeconds(10)); // exactly window later still counts, as Go's "> window"
        b.fail();
        assertEquals(State.CLOSED, b.state());
        clock.advance(Duration.ofSeconds(9));
        b.fail();
        assertOpen(b);
    }

    @Test
    void aFailedProbeReopensForAFreshOpenTimeout() {
        CircuitBreaker b = breaker(Map.of("failureThreshold", "1", "window", "PT30S"));
        b.fail();
        assertOpen(b);
        clock.advance(Duration.ofSeconds(45));
        assertTrue(b.ready());
        b.fail();
        assertOpen(b);
        clock.advance(Duration.ofSeconds(29));
        assertOpen(b);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(State.HALF_OPEN, b.state());
        assertTrue(b.ready());
        b.success();
        assertEquals(State.CLOSED, b.state());
    }

    @Test
    void halfOpenAdmitsExactlyHalfOpenProbesAtOnce() {
        CircuitBreaker b = breaker(Map.of("failureThreshold", "2", "window", "PT30S", "halfOpenProbes", "3"));
        b.fail();
        b.fail();
        clock.advance(Duration.ofSeconds(30));
        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            admitted += b.ready() ? 1 : 0;
        }
        assertEquals(3, admitted);
        assertEquals(3, ((StateMachineBreaker) b).probesAdmitted());
        b.success();
        assertEquals(State.CLOSED, b.state());
        for (int i = 0; i < 10; i++) {
            assertTrue(b.ready());
        }
    }

    @Test
    void outcomesOfCallsAdmittedBeforeTheTripDoNotMoveAnOpenBreaker() {
        CircuitBreaker b = breaker(Map.of("failureThreshold", "1", "window", "PT30S"));
        b.fail();
        clock.advance(Duration.ofSeconds(20));
        b.success();
        assertOpen(b);
        b.fail();
        clock.advance(Duration.ofSeconds(10));
        assertEquals(State.HALF_OPEN, b.state(), "the late failure did not extend the open period");
    }

    @Test
    void probesThatNeverReportAreReplacedAfterAnotherOpenTimeout() {
        CircuitBreaker b = breaker(Map.of("failureThreshold", "1", "window", "PT10S"));
        b.fail();
        clock.advance(Duration.ofSeconds(10));
        assertTrue(b.ready());
        clock.advance(Duration.ofSeconds(9));
        assertFalse(b.ready());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(b.ready(), "the first probe's outcome never came: a fresh probe goes");
        assertFalse(b.ready());
    }

    @Test
    void openTimeoutCanDifferFromWindow() {
        CircuitBreaker b = breaker(Map.of("failureThreshold", "2", "window", "PT30S", "openTimeout", "PT5S"));
        b.fail();
        b.fail();
        clock.advance(Duration.ofSeconds(5));
        assertEquals(State.HALF_OPEN, b.state());
    }

    @Test
    void closedFastPathsDoNotReadTheClock() {
        CircuitBreaker b = breaker(Map.of());
        clock.reads.set(0);
        for (int i = 0; i < 1000; i++) {
            assertTrue(b.ready());
            b.success();
        }
        assertEquals(0, clock.reads.get());
    }

    @Test
    void survivesTheNanoTimeWrapAround() {
        FakeClock late = new FakeClock(Long.MAX_VALUE - Duration.ofSeconds(10).toNanos());
        CircuitBreaker b = new ConsecutiveBreakerProvider().create(Map.of("failureThreshold", "1", "window", "PT30S"), late);
        b.fail();
        late.advance(Duration.ofSeconds(29));
        assertOpen(b);
        late.advance(Duration.ofSeconds(1));
        assertTrue(b.ready());
        b.success();
        assertEquals(State.CLOSED, b.state());
    }

    @Test
    void goCompatibleLetsEveryCallThroughOnceTheWindowHasPassed() {
        CircuitBreaker b = breaker(Map.of("failureThreshold", "2", "window", "PT30S", "goCompatible", "true"));
        b.fail();
        b.fail();
        assertOpen(b);
        clock.advance(Duration.ofSeconds(30));
        assertOpen(b); // Go reopens only when more than window has passed
        clock.advanceNanos(1);
        assertEquals(State.CLOSED, b.state());
        for (int i = 0; i < 100; i++) {
            assertTrue(b.ready(), "no half-open limit: every call goes");
        }
        b.fail();
        assertEquals(State.CLOSED, b.state(), "counts start from zero");
        assertTrue(b.ready());
        b.fail();
        assertOpen(b);

        // Go's fail() while open stamps lastFailureTime, its success() resets
        clock.advance(Duration.ofSeconds(20));
        b.fail();
        clock.advance(Duration.ofSeconds(20));
        assertOpen(b);
        b.success();
        assertEquals(State.CLOSED, b.state());
        assertTrue(b.ready());
    }

    /** Go's ConsecCircuitBreaker as specified (client/circuit_breaker.go), time in nanoseconds. */
    private static final class GoConsecModel {
        final long threshold;
        final long window;
        long failures;
        long lastFailureTime;

        GoConsecModel(long threshold, long window, long now) {
            this.threshold = threshold;
            this.window = window;
            this.lastFailureTime = 0; // Go's zero value: far in the past
        }

        boolean ready(long now) {
            if (now - lastFailureTime > window) {
                failures = 0;
                lastFailureTime = now;
                return true;
            }
            return failures < threshold;
        }

        void success(long now) {
            failures = 0;
            lastFailureTime = now;
        }

        void fail(long now) {
            failures++;
            lastFailureTime = now;
        }

        boolean open(long now) {
            return failures >= threshold && now - lastFailureTime <= window;
        }
    }

    @Test
    void goCompatibleMatchesGoCallForCall() {
        Random random = new Random(42);
        for (int run = 0; run < 50; run++) {
            FakeClock c = new FakeClock(Duration.ofDays(1).toNanos());
            int threshold = 1 + random.nextInt(4);
            long window = Duration.ofSeconds(10).toNanos();
            CircuitBreaker b = new ConsecutiveBreakerProvider().create(
                    Map.of("failureThreshold", Integer.toString(threshold), "window", "PT10S", "goCompatible", "true"), c);
            GoConsecModel go = new GoConsecModel(threshold, window, c.getAsLong());
            for (int step = 0; step < 2000; step++) {
                long now = c.getAsLong();
                int op = random.nextInt(10);
                if (op < 3) {
                    long[] steps = {0, 1, window / 3, window - 1, window, window + 1, 2 * window};
                    c.advanceNanos(steps[random.nextInt(steps.length)]);
                } else if (op < 8) { // a call: ready, then its outcome at once
                    boolean ready = b.ready();
                    assertEquals(go.ready(now), ready, "ready() at step " + step);
                    if (ready) {
                        if (random.nextInt(3) == 0) {
                            b.success();
                            go.success(now);
                        } else {
                            b.fail();
                            go.fail(now);
                        }
                    }
                } else if (op == 8) { // a late success from a call admitted earlier
                    b.success();
                    go.success(now);
                } else if (go.open(now)) { // a late failure while open
                    b.fail();
                    go.fail(now);
                }
                now = c.getAsLong();
                assertEquals(go.open(now) ? State.OPEN : State.CLOSED, b.state(), "state at step " + step);
            }
        }
    }
}
