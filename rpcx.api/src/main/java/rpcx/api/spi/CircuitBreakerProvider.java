package rpcx.api.spi;

import java.util.Map;

/** A ServiceLoader provider of circuit breakers, chosen by name ({@code consecutive}...). */
public interface CircuitBreakerProvider extends Provider {
    /**
     * Creates a breaker for one server.
     *
     * @param settings provider-specific settings, e.g. {@code failureThreshold=2, window=PT30S}
     * @throws IllegalArgumentException when a setting is invalid
     */
    CircuitBreaker create(Map<String, String> settings);
}
