package rpcx.api.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import rpcx.api.spi.CircuitBreaker;
import rpcx.api.spi.CircuitBreakerProvider;

/**
 * {@code consecutive}: Go rpcx's {@code ConsecCircuitBreaker} ({@code NewConsecCircuitBreaker(failureThreshold,
 * window)}). It trips after {@code failureThreshold} failures in a row, each within {@code window} of the one
 * before (a success restarts the count, and so does a failure more than {@code window} after the previous one).
 * It then refuses calls for {@code openTimeout}, which is {@code window} unless set, as Go refuses them until
 * {@code window} has passed since the last failure.
 *
 * <p><b>Deliberate difference from Go:</b> when that time has passed, Go resets the breaker and lets every call
 * through at once; this breaker goes half-open and lets {@code halfOpenProbes} probe calls through, closing on a
 * success and reopening for another {@code openTimeout} on a failure, so a server that is still down sees one
 * call, not the whole load. {@code goCompatible=true} reproduces Go exactly: once the window has passed every
 * call is admitted and the count starts from zero, a failure reported while open restarts the open period, and a
 * success reported while open closes the breaker.
 *
 * <p>Settings:
 * <ul>
 *   <li>{@code failureThreshold}: failures in a row that trip the breaker, >= 1; default 5</li>
 *   <li>{@code window}: ISO-8601 duration, default {@code PT30S}</li>
 *   <li>{@code openTimeout}: how long the breaker stays open; default {@code window}</li>
 *   <li>{@code halfOpenProbes}: probe calls admitted at once when half-open, >= 1; default 1</li>
 *   <li>{@code goCompatible}: {@code true} for Go's behaviour (no half-open state; cannot be combined with
 *   {@code openTimeout} or {@code halfOpenProbes}); default {@code false}</li>
 * </ul>
 */
public final class ConsecutiveBreakerProvider implements CircuitBreakerProvider {
    private static final List<String> SETTINGS =
            List.of("failureThreshold", "window", "openTimeout", "halfOpenProbes", "goCompatible");

    /** Creates the provider (ServiceLoader). */
    public ConsecutiveBreakerProvider() {
    }

    /** {@code consecutive}. */
    @Override
    public String name() {
        return "consecutive";
    }

    /**
     * Creates a breaker for one server.
     *
     * @param settings {@code failureThreshold}, {@code window}, {@code openTimeout}, {@code halfOpenProbes},
     *                 {@code goCompatible}; all optional
     * @throws IllegalArgumentException naming the setting when one is invalid or unknown
     */
    @Override
    public CircuitBreaker create(Map<String, String> settings) {
        return create(settings, System::nanoTime);
    }

    /** {@link #create(Map)} on a given clock, for tests. */
    CircuitBreaker create(Map<String, String> settings, LongSupplier clock) {
        BreakerSettings s = new BreakerSettings(name(), settings, SETTINGS);
        int threshold = s.integer("failureThreshold", 5, 1, Integer.MAX_VALUE);
        long window = s.positiveNanos("window", Duration.ofSeconds(30));
        boolean go = s.bool("goCompatible", false);
        if (go) {
            for (String probeSetting : List.of("openTimeout", "halfOpenProbes")) {
                if (s.has(probeSetting)) {
                    throw s.invalid(probeSetting + " cannot be combined with goCompatible=true (Go's breaker has no"
                            + " half-open state and stays open for window)");
                }
            }
        }
        long openTimeout = s.positiveNanos("openTimeout", Duration.ofNanos(window));
        int probes = s.integer("halfOpenProbes", 1, 1, Integer.MAX_VALUE);
        String description = name() + "{failureThreshold=" + threshold + ", window=" + Duration.ofNanos(window)
                + (go ? ", goCompatible=true}"
                      : ", openTimeout=" + Duration.ofNanos(openTimeout) + ", halfOpenProbes=" + probes + "}");
        return new StateMachineBreaker(description, new ConsecutiveFailures(threshold, window, clock),
                openTimeout, probes, go, clock);
    }

    /** Failures in a row, each within the window of the one before. */
    static final class ConsecutiveFailures implements StateMachineBreaker.TripPolicy {
        private final int threshold;
        private final long windowNanos;
        private final LongSupplier clock;
        private volatile int count;
        private long lastFailure; // guarded by this

        ConsecutiveFailures(int threshold, long windowNanos, LongSupplier clock) {
            this.threshold = threshold;
            this.windowNanos = windowNanos;
            this.clock = clock;
        }

        @Override
        public void onSuccess() {
            if (count != 0) { // no write while healthy: the success path stays a plain read
                count = 0;
            }
        }

        @Override
        public synchronized boolean onFailure() {
            long now = clock.getAsLong();
            int n = count == 0 || now - lastFailure > windowNanos ? 1 : count + 1;
            count = n;
            lastFailure = now;
            return n >= threshold;
        }

        @Override
        public void reset() {
            count = 0;
        }
    }
}
