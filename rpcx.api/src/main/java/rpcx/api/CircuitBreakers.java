package rpcx.api;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import rpcx.api.internal.ConsecutiveBreakerProvider;
import rpcx.api.internal.Providers;
import rpcx.api.internal.RateBreakerProvider;
import rpcx.api.internal.ThresholdBreakerProvider;
import rpcx.api.spi.CircuitBreaker;
import rpcx.api.spi.CircuitBreakerProvider;

/**
 * Circuit breaker factories for {@link ClientOptions#withBreaker(Supplier)}, which creates one breaker per server
 * (Go's {@code Option.GenBreaker}). Every bundled breaker is closed → open → half-open: once tripped it refuses
 * calls for an open period, then lets a probe call through; the probe's success closes it, its failure opens it
 * again. Settings are checked here, when the factory is made, so a bad value fails at configuration time with an
 * {@link IllegalArgumentException} naming it.
 *
 * <pre>{@code
 * ClientOptions options = ClientOptions.defaults().withBreaker(CircuitBreakers.consecutive(2, Duration.ofSeconds(30)));
 * }</pre>
 */
public final class CircuitBreakers {
    private CircuitBreakers() {
    }

    /**
     * Go's {@code NewConsecCircuitBreaker(failureThreshold, window)}: trips after {@code failureThreshold} failures
     * in a row, each within {@code window} of the previous one, and stays open for {@code window}; then one probe
     * call decides. (Go lets every call through after the window instead; for exactly that, use
     * {@code byName("consecutive", Map.of("failureThreshold", "2", "window", "PT30S", "goCompatible", "true"))}.)
     *
     * <p>Usage: {@code options.withBreaker(CircuitBreakers.consecutive(2, Duration.ofSeconds(30)))}
     *
     * @param failureThreshold failures in a row that trip the breaker, >= 1
     * @param window           the longest gap between counted failures, and how long the breaker stays open
     * @return a factory making one new breaker per call
     * @throws IllegalArgumentException when {@code failureThreshold < 1} or {@code window} is not positive
     */
    public static Supplier<CircuitBreaker> consecutive(int failureThreshold, Duration window) {
        Objects.requireNonNull(window, "window");
        return of(new ConsecutiveBreakerProvider(),
                Map.of("failureThreshold", Integer.toString(failureThreshold), "window", window.toString()));
    }

    /**
     * rubyist's {@code NewThresholdBreaker(failures)}: trips when {@code failures} failures (not necessarily in a
     * row) were seen within the last 10 s, and stays open for {@code openTimeout}; then one probe call decides.
     *
     * <p>Usage: {@code options.withBreaker(CircuitBreakers.threshold(10, Duration.ofSeconds(5)))}
     *
     * @param failures    failures that trip the breaker, >= 1
     * @param openTimeout how long the breaker stays open
     * @return a factory making one new breaker per call
     * @throws IllegalArgumentException when {@code failures < 1} or {@code openTimeout} is not positive
     */
    public static Supplier<CircuitBreaker> threshold(int failures, Duration openTimeout) {
        Objects.requireNonNull(openTimeout, "openTimeout");
        return of(new ThresholdBreakerProvider(),
                Map.of("threshold", Integer.toString(failures), "openTimeout", openTimeout.toString()));
    }

    /**
     * rubyist's {@code NewRateBreaker(failureRate, minSamples)}: trips when at least {@code failureRate} of the
     * calls of the last 10 s failed and there were at least {@code minSamples} of them, and stays open for
     * {@code openTimeout}; then one probe call decides.
     *
     * <p>Usage: {@code options.withBreaker(CircuitBreakers.rate(0.95, 100, Duration.ofSeconds(5)))}
     *
     * @param failureRate the failure ratio that trips the breaker, above 0 and at most 1
     * @param minSamples  outcomes needed within the window before the breaker may trip, >= 1
     * @param openTimeout how long the breaker stays open
     * @return a factory making one new breaker per call
     * @throws IllegalArgumentException when an argument is out of range
     */
    public static Supplier<CircuitBreaker> rate(double failureRate, int minSamples, Duration openTimeout) {
        Objects.requireNonNull(openTimeout, "openTimeout");
        return of(new RateBreakerProvider(), Map.of("rate", Double.toString(failureRate),
                "minSamples", Integer.toString(minSamples), "openTimeout", openTimeout.toString()));
    }

    /**
     * A breaker from the {@link CircuitBreakerProvider} of that name, found through ServiceLoader like every
     * rpcx plugin: the bundled {@code consecutive}, {@code threshold} and {@code rate}, or one from a third-party
     * module on the module path. Settings are the provider's (durations in ISO-8601: {@code PT30S}).
     *
     * <p>Usage: {@code options.withBreaker(CircuitBreakers.byName("rate", Map.of("rate", "0.5", "minSamples", "20")))}
     *
     * @param providerName the provider's {@link CircuitBreakerProvider#name() name}
     * @param settings     the provider's settings; copied
     * @return a factory making one new breaker per call
     * @throws RpcConfigurationException when no provider has that name
     * @throws IllegalArgumentException  when the provider refuses a setting
     */
    public static Supplier<CircuitBreaker> byName(String providerName, Map<String, String> settings) {
        Objects.requireNonNull(providerName, "providerName");
        Objects.requireNonNull(settings, "settings");
        return of(Providers.breaker(providerName), Collections.unmodifiableMap(new HashMap<>(settings)));
    }

    /** A factory over a provider, after one trial breaker proved the settings valid. */
    private static Supplier<CircuitBreaker> of(CircuitBreakerProvider provider, Map<String, String> settings) {
        Objects.requireNonNull(provider.create(settings), "provider returned null");
        return () -> provider.create(settings);
    }
}
