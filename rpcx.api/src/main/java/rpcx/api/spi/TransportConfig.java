package rpcx.api.spi;

import java.time.Duration;
import java.util.Objects;

import rpcx.api.protocol.FrameLimits;

/**
 * How a transport treats its connections.
 *
 * @param limits            frame bounds checked by the decoder
 * @param readIdleTimeout   close a connection that received nothing for this long; zero = never (Go's default)
 * @param writeTimeout      fail a connection whose write does not complete within this; zero = never
 * @param frameTimeout      close a connection that started a frame and did not finish it within this; zero = never
 * @param connectTimeout    client dial timeout
 * @param ioThreads         I/O threads for a server transport; 0 lets the transport choose
 */
public record TransportConfig(FrameLimits limits, Duration readIdleTimeout, Duration writeTimeout,
                              Duration frameTimeout, Duration connectTimeout, int ioThreads) {
    /** Defaults: 8 MiB frames, no idle timeout, no write timeout, 30 s to finish a started frame, 1 s connect. */
    public static final TransportConfig DEFAULT = new TransportConfig(FrameLimits.DEFAULT, Duration.ZERO, Duration.ZERO,
            Duration.ofSeconds(30), Duration.ofSeconds(1), 0);

    /** Validates the values. */
    public TransportConfig {
        Objects.requireNonNull(limits, "limits");
        for (Duration d : new Duration[] {readIdleTimeout, writeTimeout, frameTimeout, connectTimeout}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("timeouts must be zero or positive");
            }
        }
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads must be >= 0");
        }
    }

    /** A copy with another connect timeout. */
    public TransportConfig withConnectTimeout(Duration timeout) {
        return new TransportConfig(limits, readIdleTimeout, writeTimeout, frameTimeout, timeout, ioThreads);
    }
}
