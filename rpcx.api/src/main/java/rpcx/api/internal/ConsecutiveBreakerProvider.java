package rpcx.api.internal;

import java.time.Duration;
import java.util.Map;

import rpcx.api.spi.CircuitBreaker;
import rpcx.api.spi.CircuitBreakerProvider;

/**
 * Go's {@code ConsecCircuitBreaker(failureThreshold, window)}: opens after {@code failureThreshold} failures
 * inside {@code window}, and closes once {@code window} has passed since the last failure. Settings:
 * {@code failureThreshold} (default 5) and {@code window} (ISO-8601 duration, default PT30S).
 */
public final class ConsecutiveBreakerProvider implements CircuitBreakerProvider {
    @Override
    public String name() {
        return "consecutive";
    }

    @Override
    public CircuitBreaker create(Map<String, String> settings) {
        int threshold = Integer.parseInt(settings.getOrDefault("failureThreshold", "5"));
        Duration window = Duration.parse(settings.getOrDefault("window", "PT30S"));
        if (threshold < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("failureThreshold must be >= 1 and window positive: " + settings);
        }
        return new ConsecutiveBreaker(threshold, window.toNanos());
    }

    static final class ConsecutiveBreaker implements CircuitBreaker {
        private final int threshold;
        private final long windowNanos;
        private int failures;
        private long lastFailure;

        ConsecutiveBreaker(int threshold, long windowNanos) {
            this.threshold = threshold;
            this.windowNanos = windowNanos;
        }

        @Override
        public synchronized boolean ready() {
            if (failures >= threshold && System.nanoTime() - lastFailure < windowNanos) {
                return false;
            }
            if (failures >= threshold) {
                failures = 0; // the window has passed: half-open, let calls through again
            }
            return true;
        }

        @Override
        public synchronized void success() {
            failures = 0;
        }

        @Override
        public synchronized void fail() {
            long now = System.nanoTime();
            if (failures > 0 && now - lastFailure >= windowNanos) {
                failures = 0;
            }
            failures++;
            lastFailure = now;
        }
    }
}
