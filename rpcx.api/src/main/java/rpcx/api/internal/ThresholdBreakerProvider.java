package rpcx.api.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import rpcx.api.spi.CircuitBreaker;
import rpcx.api.spi.CircuitBreakerProvider;

/**
 * {@code threshold}: rubyist circuitbreaker's {@code ThresholdBreaker} ({@code NewThresholdBreaker(threshold)}).
 * It trips when the failures recorded since the breaker last closed reach {@code threshold}. The failures need
 * not be consecutive: as in rubyist, successes do not lower the count. Also as in rubyist, the count covers a
 * rolling {@code window} (10 s in 10 buckets by default), so failures older than that age out. The breaker then
 * stays open for {@code openTimeout}, goes half-open and admits {@code halfOpenProbes} probe calls: a success
 * closes it and clears the count, a failure opens it for another {@code openTimeout}.
 *
 * <p><b>Deliberate difference from rubyist:</b> rubyist waits an exponential back-off before each retry (from
 * 500 ms, growing 1.5 times per failed retry, randomised, up to 60 s) counted from the last failure; this
 * breaker waits a fixed {@code openTimeout} (default 500 ms, rubyist's first back-off) counted from the trip or
 * the failed probe.
 *
 * <p>Settings:
 * <ul>
 *   <li>{@code threshold}: failures that trip the breaker, >= 1; default 5</li>
 *   <li>{@code window}: ISO-8601 duration failures are counted over; default {@code PT10S}</li>
 *   <li>{@code buckets}: how many parts the window ages out in, 1 to 1000; default 10</li>
 *   <li>{@code openTimeout}: how long the breaker stays open; default {@code PT0.5S}</li>
 *   <li>{@code halfOpenProbes}: probe calls admitted at once when half-open, >= 1; default 1</li>
 * </ul>
 */
public final class ThresholdBreakerProvider implements CircuitBreakerProvider {
    private static final List<String> SETTINGS = List.of("threshold", "window", "buckets", "openTimeout", "halfOpenProbes");

    /** Creates the provider (ServiceLoader). */
    public ThresholdBreakerProvider() {
    }

    /** {@code threshold}. */
    @Override
    public String name() {
        return "threshold";
    }

    /**
     * Creates a breaker for one server.
     *
     * @param settings {@code threshold}, {@code window}, {@code buckets}, {@code openTimeout},
     *                 {@code halfOpenProbes}; all optional
     * @throws IllegalArgumentException naming the setting when one is invalid or unknown
     */
    @Override
    public CircuitBreaker create(Map<String, String> settings) {
        return create(settings, System::nanoTime);
    }

    /** {@link #create(Map)} on a given clock, for tests. */
    CircuitBreaker create(Map<String, String> settings, LongSupplier clock) {
        BreakerSettings s = new BreakerSettings(name(), settings, SETTINGS);
        int threshold = s.integer("threshold", 5, 1, Integer.MAX_VALUE);
        long window = s.positiveNanos("window", Duration.ofSeconds(10));
        int buckets = s.integer("buckets", 10, 1, 1000);
        if (window < buckets) {
            throw s.invalid("window must be at least one nanosecond per bucket");
        }
        long openTimeout = s.positiveNanos("openTimeout", Duration.ofMillis(500));
        int probes = s.integer("halfOpenProbes", 1, 1, Integer.MAX_VALUE);
        String description = name() + "{threshold=" + threshold + ", window=" + Duration.ofNanos(window) + "/" + buckets
                + ", openTimeout=" + Duration.ofNanos(openTimeout) + ", halfOpenProbes=" + probes + "}";
        return new StateMachineBreaker(description, new FailureThreshold(threshold, new RollingCounts(window, buckets, clock)),
                openTimeout, probes, false, clock);
    }

    /** Failures in the rolling window reach the threshold. */
    static final class FailureThreshold implements StateMachineBreaker.TripPolicy {
        private final int threshold;
        private final RollingCounts counts; // guarded by this

        FailureThreshold(int threshold, RollingCounts counts) {
            this.threshold = threshold;
            this.counts = counts;
        }

        @Override
        public void onSuccess() {
            // successes do not lower the failure count (rubyist's ThresholdTripFunc looks at failures only)
        }

        @Override
        public synchronized boolean onFailure() {
            counts.addFailure();
            return counts.failures() >= threshold;
        }

        @Override
        public synchronized void reset() {
            counts.clear();
        }
    }
}
