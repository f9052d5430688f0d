package rpcx.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's duration syntax ({@code time.ParseDuration}): {@code 300ms}, {@code 1.5s}, {@code 1m30s}, {@code 2h}. */
final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private GoDuration() {
    }

    /**
     * Parses a positive Go duration.
     *
     * @throws IllegalArgumentException for anything else, saying what is accepted
     */
    static Duration parse(String text) {
        Matcher m = PART.matcher(text);
        int at = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (at < text.length() && m.find(at) && m.start() == at) {
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
            at = m.end();
        }
        if (text.isEmpty() || at != text.length() || nanos.signum() <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not a positive Go duration (e.g. 500ms, 5s, 1m30s)");
        }
        return Duration.ofNanos(nanos.longValue());
    }
}
