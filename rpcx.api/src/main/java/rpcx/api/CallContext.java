package rpcx.api;

import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import rpcx.api.protocol.Message;

/**
 * What a service method knows about the call it serves: Go's {@code context.Context} on the server side.
 * Request metadata in, response metadata out, the caller's deadline, the remote peer. Declare it as the first
 * parameter of a service method, or reach it with {@link #current()}.
 */
public final class CallContext {
    private static final ThreadLocal<CallContext> CURRENT = new ThreadLocal<>();

    private final Message request;
    private final ClientConnection connection;
    private final SocketAddress remoteAddress;
    private final long deadlineNanos;
    private final boolean hasDeadline;
    private final Map<String, String> responseMetadata = new ConcurrentHashMap<>();

    /**
     * Creates a context for a request without a connection ({@link #connection()} is null); for tests and
     * plugins that build contexts of their own.
     */
    public CallContext(Message request, SocketAddress remoteAddress, long deadlineNanos, boolean hasDeadline) {
        this.request = request;
        this.connection = null;
        this.remoteAddress = remoteAddress;
        this.deadlineNanos = deadlineNanos;
        this.hasDeadline = hasDeadline;
    }

    /**
     * Creates a context for a request that arrived on a connection; used by the server runtime.
     *
     * @param deadlineNanos the caller's deadline on the {@link System#nanoTime()} clock (when {@code hasDeadline})
     */
    public CallContext(Message request, ClientConnection connection, long deadlineNanos, boolean hasDeadline) {
        this.request = request;
        this.connection = connection;
        this.remoteAddress = connection == null ? null : connection.remoteAddress();
        this.deadlineNanos = deadlineNanos;
        this.hasDeadline = hasDeadline;
    }

    /** The context of the call the current thread is serving, or null outside a service call. */
    public static CallContext current() {
        return CURRENT.get();
    }

    /** Runs an action with this context as {@link #current()}; used by the server runtime. */
    public <T> T runAsCurrent(java.util.concurrent.Callable<T> action) throws Exception {
        CallContext previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return action.call();
        } finally {
            CURRENT.set(previous); // not remove(): that would cost a new map entry on every call of this thread
        }
    }

    /** The service name of the call. */
    public String servicePath() {
        return request.servicePath();
    }

    /** The method name of the call. */
    public String serviceMethod() {
        return request.serviceMethod();
    }

    /** The message id of the request. */
    public long seq() {
        return request.seq();
    }

    /** The SerializeType of the request (the reply uses the same). */
    public int serializeType() {
        return request.serializeType();
    }

    /** The request metadata (unmodifiable). */
    public Map<String, String> requestMetadata() {
        return request.metadata();
    }

    /** One request metadata value, or null. */
    public String requestMetadata(String key) {
        return request.metadata().get(key);
    }

    /** The auth token the caller sent ({@code __AUTH}), or null (an {@link AuthFunction} gets {@code ""} then, as in Go). */
    public String authToken() {
        return request.metadata().get(Message.AUTH_KEY);
    }

    /** The metadata sent back with the response; add to it freely (it is sent with errors too). */
    public Map<String, String> responseMetadata() {
        return responseMetadata;
    }

    /** Adds one response metadata entry. */
    public CallContext setResponseMetadata(String key, String value) {
        responseMetadata.put(key, value);
        return this;
    }

    /** The caller's address. */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * The connection the request arrived on (Go's {@code ctx.Value(server.RemoteConnContextKey)}): push to the
     * caller with {@link Server#sendMessage}, or close it. Null for a context made without one.
     */
    public ClientConnection connection() {
        return connection;
    }

    /** The deadline the caller sent as {@code __ServerTimeout}, if any. */
    public Optional<Instant> deadline() {
        if (!hasDeadline) {
            return Optional.empty();
        }
        return Optional.of(Instant.now().plusNanos(deadlineNanos - System.nanoTime()));
    }

    /** Time left before the caller's deadline ({@link Duration#ZERO} when passed); empty without a deadline. */
    public Optional<Duration> remaining() {
        if (!hasDeadline) {
            return Optional.empty();
        }
        long left = deadlineNanos - System.nanoTime();
        return Optional.of(left <= 0 ? Duration.ZERO : Duration.ofNanos(left));
    }

    /** Whether the caller's deadline has passed: long-running services should check it and stop. */
    public boolean isExpired() {
        return hasDeadline && System.nanoTime() - deadlineNanos >= 0;
    }

    /** The request frame itself. */
    public Message request() {
        return request;
    }
}
