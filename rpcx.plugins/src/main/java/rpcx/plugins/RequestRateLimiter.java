package rpcx.plugins;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import rpcx.api.CallContext;
import rpcx.api.ClientConnection;
import rpcx.api.RequestLimitException;
import rpcx.api.ServerPlugin;
import rpcx.api.protocol.Message;

/**
 * Limits the rate of requests with a token bucket (Go's {@code serverplugin.ReqRateLimitingPlugin}): {@code burst}
 * requests at once, then {@code permitsPerSecond} on average. A request over the limit gets the error reply
 * {@value RequestLimitException#REACHED} ({@link RequestLimitException}, Go's {@code ErrReqReachLimit}); its
 * connection stays open and usable.
 *
 * <pre>{@code server.addPlugin(RequestRateLimiter.refusing(1000, 100));}</pre>
 *
 * <p>It decides in {@link #postReadRequest}, once per request frame (heartbeats are not counted). Add it before the
 * plugins whose work it should spare (an {@link Alias} may come before or after it; a {@link Metrics} added after it
 * does not see refused requests).
 *
 * <h2>Modes: nothing ever waits on an I/O thread</h2>
 * {@link #postReadRequest} runs on the transport's I/O thread, which also reads every other connection it serves,
 * so it never waits, in either mode:
 * <ul>
 *   <li>{@link Mode#REFUSE} (the default): no token now means the error reply at once. This is Go's
 *       {@code block == false}.</li>
 *   <li>{@link Mode#BLOCK} (Go's {@code block == true}): when no token is there now, the plugin reserves the next
 *       one, which the bucket will have in {@code w}; if {@code w} is at most the maximum wait, the request goes on,
 *       and it waits for {@code w} in {@link #preHandleRequest}, which runs on the thread that will run the service
 *       (a virtual thread on Java 21+, a pooled thread otherwise), just before the service is called. If {@code w} is
 *       longer than the maximum wait, or than the caller's own timeout ({@code __ServerTimeout}), the request is
 *       refused at once and takes no token. So the rate limited is that of services starting; Go waits for the token
 *       before reading the next frame of the connection, and without bound. The cost of waiting: each waiting
 *       request holds a service thread and counts against the connection's
 *       {@link rpcx.api.ServerOptions#maxPendingPerConnection() maximum of pending requests} (reaching it pauses
 *       reading that connection, which is the back-pressure one wants); hence the bound.</li>
 * </ul>
 * The wait of a request is found again in {@code preHandleRequest} by its connection and sequence number (its
 * {@link rpcx.api.CallContext#connection()} and {@link rpcx.api.CallContext#seq()}); the reservations of a
 * connection are dropped when it closes.
 *
 * <h2>One bucket, or one per method</h2>
 * By default all requests share one bucket, as in Go. With {@link Builder#perMethod(boolean) perMethod(true)} each
 * {@code servicePath.serviceMethod} of the request frame has its own bucket with the same rate and burst (as Go's
 * {@code RedisRateLimitingPlugin} keys by {@code servicePath/serviceMethod}, but in this process only). The names
 * come from clients, so at most {@link Builder#maxKeys(int) maxKeys} buckets are made (4096 by default); requests
 * for further names share one overflow bucket.
 */
public final class RequestRateLimiter implements ServerPlugin {
    /** What to do with a request when there is no token for it now. */
    public enum Mode {
        /** Refuse it at once with {@link RequestLimitException} (Go's {@code block == false}). */
        REFUSE,
        /** Reserve a token due within the maximum wait and wait for it on the service thread; refuse it if none is. */
        BLOCK
    }

    /** Waits for a number of nanoseconds (a seam for tests). */
    interface Sleeper {
        void sleepNanos(long nanos);
    }

    private record Key(String servicePath, String serviceMethod) {
    }

    /** Reservations older than this past their due time are dropped (their request never reached preHandleRequest). */
    private static final long STALE_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int SWEEP_ABOVE = 256;

    private final double permitsPerSecond;
    private final long intervalNanos;
    private final int burst;
    private final Mode mode;
    private final long maxWaitNanos;
    private final boolean perMethod;
    private final int maxKeys;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private final TokenBucket shared;
    private final ConcurrentHashMap<Key, TokenBucket> buckets = new ConcurrentHashMap<>();
    /** BLOCK: connection id -> (seq -> when the reserved token is due, on the clock). */
    private final ConcurrentHashMap<Long, ConcurrentHashMap<Long, Long>> reservations = new ConcurrentHashMap<>();
    private final LongAdder passed = new LongAdder();
    private final LongAdder delayed = new LongAdder();
    private final LongAdder refused = new LongAdder();

    private RequestRateLimiter(Builder b) {
        this.intervalNanos = b.intervalNanos;
        this.permitsPerSecond = 1e9 / b.intervalNanos;
        this.burst = b.burst;
        this.mode = b.mode;
        this.maxWaitNanos = b.maxWait.toNanos();
        this.perMethod = b.perMethod;
        this.maxKeys = b.maxKeys;
        this.clock = b.clock;
        this.sleeper = b.sleeper != null ? b.sleeper : RequestRateLimiter::park;
        this.shared = newBucket();
    }

    /** A limiter that refuses what is over {@code burst} at once and {@code permitsPerSecond} on average. */
    public static RequestRateLimiter refusing(double permitsPerSecond, int burst) {
        return builder(permitsPerSecond, burst).build();
    }

    /** A builder for {@code burst} requests at once and {@code permitsPerSecond} on average. */
    public static Builder builder(double permitsPerSecond, int burst) {
        return new Builder(TokenBucket.intervalOf(permitsPerSecond), burst);
    }

    /**
     * A builder as Go's {@code NewReqRateLimitingPlugin(fillInterval, capacity, block)}: {@code capacity} requests at
     * once, then one per {@code fillInterval}.
     */
    public static Builder builder(Duration fillInterval, int capacity) {
        return new Builder(TokenBucket.intervalOf(fillInterval), capacity);
    }

    private TokenBucket newBucket() {
        return TokenBucket.everyNanos(intervalNanos, burst, clock);
    }

    /**
     * Takes a token for the request, or (in {@link Mode#BLOCK}) reserves one due soon enough, or refuses the request
     * with {@link RequestLimitException}. Never waits.
     */
    @Override
    public Message postReadRequest(ClientConnection connection, Message request) {
        if (request.isHeartbeat() || request.isResponse()) {
            return request;
        }
        TokenBucket bucket = perMethod ? bucketFor(request.servicePath(), request.serviceMethod()) : shared;
        long wait = bucket.reserve(mode == Mode.BLOCK ? Math.min(maxWaitNanos, callerTimeoutNanos(request)) : 0);
        if (wait < 0) {
            refused.increment();
            throw new RequestLimitException();
        }
        if (wait > 0) {
            delayed.increment();
            ConcurrentHashMap<Long, Long> byConnection =
                    reservations.computeIfAbsent(connection.id(), id -> new ConcurrentHashMap<>());
            long now = clock.getAsLong();
            byConnection.put(request.seq(), now + wait);
            if (byConnection.size() > SWEEP_ABOVE) {
                byConnection.values().removeIf(due -> now - due > STALE_NANOS);
            }
            if (!connection.isOpen()) {
                reservations.remove(connection.id()); // closed meanwhile: connectionClosed may have run already
            }
        }
        passed.increment();
        return request;
    }

    /** The caller's timeout ({@code __ServerTimeout}, in ms) in nanoseconds; Long.MAX_VALUE without one. */
    private static long callerTimeoutNanos(Message request) {
        String t = request.metadata().get(Message.SERVER_TIMEOUT_KEY);
        if (t == null) {
            return Long.MAX_VALUE;
        }
        try {
            long ms = Long.parseLong(t.trim());
            return TimeUnit.MILLISECONDS.toNanos(Math.max(0, ms)); // 0 or less: expired already, as the server sees it
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** {@link Mode#BLOCK}: waits, on the service thread, until the token reserved for this request is due. */
    @Override
    public void preHandleRequest(CallContext context, Message request) {
        if (mode != Mode.BLOCK || context == null || context.connection() == null) {
            return;
        }
        ConcurrentHashMap<Long, Long> byConnection = reservations.get(context.connection().id());
        if (byConnection == null) {
            return;
        }
        Long due = byConnection.remove(context.seq());
        if (due == null) {
            return;
        }
        long left = due - clock.getAsLong();
        if (left > 0) {
            sleeper.sleepNanos(left);
        }
    }

    /** Drops the reservations of a closed connection. */
    @Override
    public void connectionClosed(ClientConnection connection) {
        reservations.remove(connection.id());
    }

    private TokenBucket bucketFor(String servicePath, String serviceMethod) {
        Key key = new Key(servicePath, serviceMethod);
        TokenBucket b = buckets.get(key);
        if (b != null) {
            return b;
        }
        if (buckets.size() >= maxKeys) {
            return shared; // the overflow bucket: never a key of its own
        }
        return buckets.computeIfAbsent(key, k -> newBucket());
    }

    /** Parks the calling thread for {@code nanos}; an interrupt ends the wait early (the flag is kept). */
    private static void park(long nanos) {
        long deadline = System.nanoTime() + nanos;
        long left = nanos;
        while (left > 0) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            left = deadline - System.nanoTime();
        }
    }

    /** The average rate, in requests per second. */
    public double permitsPerSecond() {
        return permitsPerSecond;
    }

    /** The bucket capacity: requests allowed at once. */
    public int burst() {
        return burst;
    }

    /** The mode. */
    public Mode mode() {
        return mode;
    }

    /** The longest wait in {@link Mode#BLOCK} ({@link Duration#ZERO} in {@link Mode#REFUSE}). */
    public Duration maxWait() {
        return Duration.ofNanos(maxWaitNanos);
    }

    /** Whether each {@code servicePath.serviceMethod} has its own bucket. */
    public boolean perMethod() {
        return perMethod;
    }

    /** Requests let through so far (including the delayed ones). */
    public long passedCount() {
        return passed.sum();
    }

    /** Requests let through with a wait ({@link Mode#BLOCK}) so far. */
    public long delayedCount() {
        return delayed.sum();
    }

    /** Requests refused so far. */
    public long refusedCount() {
        return refused.sum();
    }

    /** Reservations waiting for their request's preHandleRequest (for tests). */
    int pendingReservations() {
        return reservations.values().stream().mapToInt(ConcurrentHashMap::size).sum();
    }

    @Override
    public String toString() {
        return "RequestRateLimiter[" + permitsPerSecond + "/s, burst " + burst + ", " + mode
                + (mode == Mode.BLOCK ? " up to " + maxWait() : "") + (perMethod ? ", per method" : "") + "]";
    }

    /** Builds a {@link RequestRateLimiter}; by default it refuses, with one bucket for all requests. */
    public static final class Builder {
        private final long intervalNanos;
        private final int burst;
        private Mode mode = Mode.REFUSE;
        private Duration maxWait = Duration.ZERO;
        private boolean perMethod;
        private int maxKeys = 4096;
        private LongSupplier clock = System::nanoTime;
        private Sleeper sleeper;

        private Builder(long intervalNanos, int burst) {
            if (burst < 1) {
                throw new IllegalArgumentException("the burst (capacity) must be at least 1: " + burst);
            }
            this.intervalNanos = intervalNanos;
            this.burst = burst;
        }

        /** Refuse a request at once when there is no token ({@link Mode#REFUSE}, the default). */
        public Builder refuse() {
            this.mode = Mode.REFUSE;
            this.maxWait = Duration.ZERO;
            return this;
        }

        /**
         * Let a request wait for a token due within {@code maxWait} (positive), on its service thread, and refuse it
         * when none is ({@link Mode#BLOCK}). See the class documentation for what the wait costs.
         */
        public Builder block(Duration maxWait) {
            Objects.requireNonNull(maxWait, "maxWait");
            if (maxWait.isNegative() || maxWait.isZero()) {
                throw new IllegalArgumentException("the maximum wait must be positive: " + maxWait);
            }
            try {
                maxWait.toNanos();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("the maximum wait is too long: " + maxWait, e);
            }
            this.mode = Mode.BLOCK;
            this.maxWait = maxWait;
            return this;
        }

        /** One bucket per {@code servicePath.serviceMethod} (true) or one for all requests (false, the default). */
        public Builder perMethod(boolean perMethod) {
            this.perMethod = perMethod;
            return this;
        }

        /** With {@link #perMethod}, the most buckets made; further names share the overflow bucket. */
        public Builder maxKeys(int maxKeys) {
            if (maxKeys < 1) {
                throw new IllegalArgumentException("maxKeys must be at least 1: " + maxKeys);
            }
            this.maxKeys = maxKeys;
            return this;
        }

        /** The nanosecond clock (tests). */
        Builder clock(LongSupplier nanoClock) {
            this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /** How {@link Mode#BLOCK} waits (tests). */
        Builder sleeper(Sleeper s) {
            this.sleeper = Objects.requireNonNull(s, "sleeper");
            return this;
        }

        /** The limiter. */
        public RequestRateLimiter build() {
            return new RequestRateLimiter(this);
        }
    }
}
