package rpcx.api.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * A transport option: the TCP keep-alive period of a client's connections (Go's {@code Option.TCPKeepAlivePeriod},
 * default one minute): how long a connection stays idle before the first probe, and the time between probes.
 * Zero leaves the operating system's values. Given with {@code ClientOptions.withTcpKeepAlivePeriod}; transports
 * without TCP ignore it.
 *
 * @param period the idle time and probe interval, in whole seconds; zero = the system's
 */
public record TcpKeepAlive(Duration period) {
    /** Go's default, one minute. */
    public static final TcpKeepAlive GO_DEFAULT = new TcpKeepAlive(Duration.ofMinutes(1));

    /** Validates the period. */
    public TcpKeepAlive {
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || (!period.isZero() && period.toSeconds() == 0)) {
            throw new IllegalArgumentException("a TCP keep-alive period is zero or at least one second: " + period);
        }
    }
}
