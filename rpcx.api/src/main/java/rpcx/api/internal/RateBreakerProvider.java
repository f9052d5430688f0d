package rpcx.api.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import rpcx.api.spi.CircuitBreaker;
import rpcx.api.spi.CircuitBreakerProvider;

/**
 * {@code rate}: rubyist circuitbreaker's {@code RateBreaker} ({@code NewRateBreaker(rate, minSamples)}; Go rpcx
 * declares {@code RateBreaker(0.95, 100)} as its unused default {@code client.CircuitBreaker}). On a failure it
 * trips when the failures make up at least {@code rate} of the outcomes in a rolling {@code window} (10 s in 10
 * buckets by default), provided that window holds at least {@code minSamples} outcomes; older outcomes age out.
 * It then stays open for {@code openTimeout}, goes half-open and admits {@code halfOpenProbes} probe calls: a
 * success closes it and clears the counts (so {@code minSamples} must be reached again), a failure opens it for
 * another {@code openTimeout}.
 *
 * <p><b>Deliberate difference from rubyist:</b> rubyist waits an exponential back-off before each retry (from
 * 500 ms, growing 1.5 times per failed retry, randomised, up to 60 s) counted from the last failure; this
 * breaker waits a fixed {@code openTimeout} (default 500 ms, rubyist's first back-off) counted from the trip or
 * the failed probe.
 *
 * <p>Settings:
 * <ul>
 *   <li>{@code rate}: failure ratio that trips the breaker, above 0 and at most 1; default 0.95</li>
 *   <li>{@code minSamples}: outcomes the window must hold before the breaker may trip, >= 1; default 100</li>
 *   <li>{@code window}: ISO-8601 duration outcomes are counted over; default {@code PT10S}</li>
 *   <li>{@code buckets}: how many parts the window ages out in, 1 to 1000; default 10</li>
 *   <li>{@code openTimeout}: how long the breaker stays open; default {@code PT0.5S}</li>
 *   <li>{@code halfOpenProbes}: probe calls admitted at once when half-open, >= 1; default 1</li>
 * </ul>
 * Every success takes a short lock to count it in the window (the {@code consecutive} and {@code threshold}
 * breakers take none on success).
 */
public final class RateBreakerProvider implements CircuitBreakerProvider {
    private static final List<String> SETTINGS =
            List.of("rate", "minSamples", "window", "buckets", "openTimeout", "halfOpenProbes");

    /** Creates the provider (ServiceLoader). */
    public RateBreakerProvider() {
    }

    /** {@code rate}. */
    @Override
    public String name() {
        return "rate";
    }

    /**
     * Creates a breaker for one server.
     *
     * @param settings {@code rate}, {@code minSamples}, {@code window}, {@code buckets}, {@code openTimeout},
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
        double rate = s.fraction("rate", 0.95);
        int minSamples = s.integer("minSamples", 100, 1, Integer.MAX_VALUE);
        long window = s.positiveNanos("window", Duration.ofSeconds(10));
        int buckets = s.integer("buckets", 10, 1, 1000);
        if (window < buckets) {
            throw s.invalid("window must be at least one nanosecond per bucket");
        }
        long openTimeout = s.positiveNanos("openTimeout", Duration.ofMillis(500));
        int probes = s.integer("halfOpenProbes", 1, 1, Integer.MAX_VALUE);
        String description = name() + "{rate=" + rate + ", minSamples=" + minSamples + ", window=" + Duration.ofNanos(window)
                + "/" + buckets + ", openTimeout=" + Duration.ofNanos(openTimeout) + ", halfOpenProbes=" + probes + "}";
        return new StateMachineBreaker(description, new FailureRate(rate, minSamples, new RollingCounts(window, buckets, clock)),
                openTimeout, probes, false, clock);
    }

    /** The failure ratio over the rolling window reaches the rate, once the window holds enough samples. */
    static final class FailureRate implements StateMachineBreaker.TripPolicy {
        private final double rate;
        private final int minSamples;
        private final RollingCounts counts; // guarded by this

        FailureRate(double rate, int minSamples, RollingCounts counts) {
            this.rate = rate;
            this.minSamples = minSamples;
            this.counts = counts;
        }

        @Override
        public synchronized void onSuccess() {
            counts.addSuccess();
        }

        @Override
        public synchronized boolean onFailure() {
            counts.addFailure();
            long failures = counts.failures();
            long samples = failures + counts.successes();
            return samples >= minSamples && (double) failures / samples >= rate;
        }

        @Override
        public synchronized void reset() {
            counts.clear();
        }
    }
}
