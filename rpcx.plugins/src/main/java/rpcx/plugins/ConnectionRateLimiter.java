package rpcx.plugins;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import rpcx.api.ClientConnection;
import rpcx.api.ServerPlugin;

/**
 * Limits the rate at which connections are accepted with a token bucket (Go's
 * {@code serverplugin.RateLimitingPlugin}): {@code burst} connections at once, then {@code permitsPerSecond} on
 * average. A connection over the limit is closed as soon as it is accepted; the client sees its connection closed
 * (its call fails), nothing is sent to it.
 *
 * <pre>{@code server.addPlugin(new ConnectionRateLimiter(100, 20));}</pre>
 *
 * <p>It acts in {@link #connectionAccepted} and never waits. Connections that are already open are not affected.
 * Like Go's, the limit is for the whole server, not per client address.
 */
public final class ConnectionRateLimiter implements ServerPlugin {
    private final TokenBucket bucket;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();

    /** {@code burst} connections at once, {@code permitsPerSecond} on average. */
    public ConnectionRateLimiter(double permitsPerSecond, int burst) {
        this(TokenBucket.perSecond(permitsPerSecond, burst, System::nanoTime));
    }

    ConnectionRateLimiter(TokenBucket bucket) {
        this.bucket = bucket;
    }

    /**
     * As Go's {@code NewRateLimitingPlugin(fillInterval, capacity)}: {@code capacity} connections at once, then one
     * per {@code fillInterval}.
     */
    public static ConnectionRateLimiter every(Duration fillInterval, int capacity) {
        return new ConnectionRateLimiter(TokenBucket.everyNanos(TokenBucket.intervalOf(fillInterval), capacity, System::nanoTime));
    }

    /** Same with another nanosecond clock (tests). */
    static ConnectionRateLimiter withClock(double permitsPerSecond, int burst, LongSupplier nanoClock) {
        return new ConnectionRateLimiter(TokenBucket.perSecond(permitsPerSecond, burst, nanoClock));
    }

    /** Takes a token for the connection; false (the connection is closed) when there is none. */
    @Override
    public boolean connectionAccepted(ClientConnection connection) {
        if (bucket.tryTake()) {
            accepted.increment();
            return true;
        }
        refused.increment();
        return false;
    }

    /** The average rate, in connections per second. */
    public double permitsPerSecond() {
        return 1e9 / bucket.intervalNanos();
    }

    /** The bucket capacity: connections allowed at once. */
    public int burst() {
        return (int) bucket.burst();
    }

    /** Connections let through so far. */
    public long acceptedCount() {
        return accepted.sum();
    }

    /** Connections refused so far. */
    public long refusedCount() {
        return refused.sum();
    }

    @Override
    public String toString() {
        return "ConnectionRateLimiter[" + permitsPerSecond() + "/s, burst " + burst() + "]";
    }
}
