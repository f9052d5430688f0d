package rpcx.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import rpcx.api.spi.CircuitBreakerProvider;

/** Every provider refuses bad settings with a message naming the breaker and the setting. */
class BreakerSettingsTest {
    private static CircuitBreakerProvider provider(String name) {
        return switch (name) {
            case "consecutive" -> new ConsecutiveBreakerProvider();
            case "threshold" -> new ThresholdBreakerProvider();
            case "rate" -> new RateBreakerProvider();
            default -> throw new AssertionError(name);
        };
    }

    @ParameterizedTest(name = "{0}: {1}={2}")
    @CsvSource(delimiter = '|', value = {
        "consecutive | failureThreshold | 0        | failureThreshold must be an integer >= 1, got '0'",
        "consecutive | failureThreshold | five     | failureThreshold must be an integer >= 1, got 'five'",
        "consecutive | failureThreshold | 9999999999 | failureThreshold must be an integer >= 1",
        "consecutive | window           | PT0S     | window must be a positive ISO-8601 duration",
        "consecutive | window           | -PT1S    | window must be a positive ISO-8601 duration",
        "consecutive | window           | 30s      | window must be a positive ISO-8601 duration such as PT30S or PT0.5S, got '30s'",
        "consecutive | openTimeout      | P999999999999D | openTimeout must be a positive ISO-8601 duration",
        "consecutive | halfOpenProbes   | 0        | halfOpenProbes must be an integer >= 1, got '0'",
        "consecutive | goCompatible     | yes      | goCompatible must be true or false, got 'yes'",
        "consecutive | failureTreshold  | 2        | unknown setting failureTreshold (known: failureThreshold, window, openTimeout, halfOpenProbes, goCompatible)",
        "threshold   | threshold        | -1       | threshold must be an integer >= 1, got '-1'",
        "threshold   | buckets          | 0        | buckets must be an integer in [1, 1000], got '0'",
        "threshold   | buckets          | 1001     | buckets must be an integer in [1, 1000], got '1001'",
        "threshold   | window           | PT0.000000009S | window must be at least one nanosecond per bucket",
        "threshold   | openTimeout      | PT0S     | openTimeout must be a positive ISO-8601 duration",
        "threshold   | rate             | 0.5      | unknown setting rate",
        "rate        | rate             | 0        | rate must be a number > 0 and <= 1, got '0'",
        "rate        | rate             | 1.5      | rate must be a number > 0 and <= 1, got '1.5'",
        "rate        | rate             | NaN      | rate must be a number > 0 and <= 1, got 'NaN'",
        "rate        | rate             | 95%      | rate must be a number > 0 and <= 1, got '95%'",
        "rate        | minSamples       | 0        | minSamples must be an integer >= 1, got '0'",
        "rate        | halfOpenProbes   | x        | halfOpenProbes must be an integer >= 1, got 'x'",
    })
    void invalidSettingsAreNamed(String breaker, String key, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider(breaker).create(Map.of(key, value)));
        assertTrue(e.getMessage().startsWith("circuit breaker '" + breaker + "': "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void goCompatibleRefusesTheHalfOpenSettings() {
        for (String key : new String[] {"openTimeout", "halfOpenProbes"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ConsecutiveBreakerProvider()
                    .create(Map.of("goCompatible", "TRUE", key, key.equals("openTimeout") ? "PT1S" : "2")));
            assertTrue(e.getMessage().contains(key + " cannot be combined with goCompatible=true"), e.getMessage());
        }
    }

    @Test
    void aNullValueIsNamed() {
        Map<String, String> settings = new HashMap<>();
        settings.put("window", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConsecutiveBreakerProvider().create(settings));
        assertEquals("circuit breaker 'consecutive': window has no value", e.getMessage());
    }

    @Test
    void validSettingsShowInToString() {
        assertEquals("consecutive{failureThreshold=2, window=PT30S, openTimeout=PT30S, halfOpenProbes=1} CLOSED",
                new ConsecutiveBreakerProvider().create(Map.of("failureThreshold", "2", "window", " PT30S ")).toString());
        assertEquals("consecutive{failureThreshold=5, window=PT30S, goCompatible=true} CLOSED",
                new ConsecutiveBreakerProvider().create(Map.of("goCompatible", "true")).toString());
        assertEquals("threshold{threshold=5, window=PT10S/10, openTimeout=PT0.5S, halfOpenProbes=1} CLOSED",
                new ThresholdBreakerProvider().create(Map.of()).toString());
        assertEquals("rate{rate=0.95, minSamples=100, window=PT10S/10, openTimeout=PT0.5S, halfOpenProbes=1} CLOSED",
                new RateBreakerProvider().create(Map.of()).toString());
    }
}
