package rpcx.api.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and checks a circuit breaker provider's settings. Every problem is an {@link IllegalArgumentException}
 * naming the breaker and the setting: {@code circuit breaker 'consecutive': failureThreshold must be an integer
 * >= 1, got '0'}. Unknown settings are refused too, so a misspelt name does not silently fall back to a default.
 */
final class BreakerSettings {
    private final String breaker;
    private final Map<String, String> settings;

    /**
     * @param breaker  the provider name, for messages
     * @param settings what the user gave
     * @param known    every setting the provider understands
     */
    BreakerSettings(String breaker, Map<String, String> settings, List<String> known) {
        Objects.requireNonNull(settings, "settings");
        this.breaker = breaker;
        this.settings = settings;
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (!known.contains(e.getKey())) {
                unknown.add(e.getKey());
            } else if (e.getValue() == null) {
                throw invalid(e.getKey() + " has no value");
            }
        }
        if (!unknown.isEmpty()) {
            throw invalid("unknown setting" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " (known: " + String.join(", ", known) + ")");
        }
    }

    /** Whether the user gave this setting. */
    boolean has(String key) {
        return settings.containsKey(key);
    }

    /** An integer in {@code [min, max]}. */
    int integer(String key, int defaultValue, int min, int max) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue;
        }
        String range = max == Integer.MAX_VALUE ? ">= " + min : "in [" + min + ", " + max + "]";
        try {
            int v = Integer.parseInt(raw.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key + " must be an integer " + range + ", got '" + raw + "'");
    }

    /** A number in {@code (0, 1]}. */
    double fraction(String key, double defaultValue) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            double v = Double.parseDouble(raw.trim());
            if (v > 0 && v <= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key + " must be a number > 0 and <= 1, got '" + raw + "'");
    }

    /** A positive ISO-8601 duration ({@code PT30S}, {@code PT0.5S}), in nanoseconds. */
    long positiveNanos(String key, Duration defaultValue) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue.toNanos();
        }
        try {
            Duration d = Duration.parse(raw.trim());
            if (!d.isNegative() && !d.isZero()) {
                return d.toNanos();
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // reported below
        }
        throw invalid(key + " must be a positive ISO-8601 duration such as PT30S or PT0.5S, got '" + raw + "'");
    }

    /** {@code true} or {@code false}, in any case. */
    boolean bool(String key, boolean defaultValue) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue;
        }
        if (raw.trim().equalsIgnoreCase("true")) {
            return true;
        }
        if (raw.trim().equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid(key + " must be true or false, got '" + raw + "'");
    }

    /** An exception about this breaker's settings. */
    IllegalArgumentException invalid(String problem) {
        return new IllegalArgumentException("circuit breaker '" + breaker + "': " + problem);
    }
}
