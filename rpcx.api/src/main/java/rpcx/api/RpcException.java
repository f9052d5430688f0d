package rpcx.api;

/**
 * The root of every error rpcx raises. Unchecked; {@link #kind()} tells what went wrong, and each kind has a
 * subclass so callers can catch precisely.
 */
public class RpcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, independent of the exception subclass. */
    public enum Kind {
        /** The service itself returned an error (a business error): never retried by fail modes. */
        SERVICE,
        /** Connecting, writing or reading failed, or the connection dropped. */
        TRANSPORT,
        /** The call's deadline passed before a reply arrived. */
        TIMEOUT,
        /** A peer sent bytes that are not a valid rpcx frame, or a payload that does not decode. */
        PROTOCOL,
        /** The server rejected the caller's credentials. */
        UNAUTHENTICATED,
        /** Discovery and filters left no server to call. */
        NO_SERVER,
        /** The circuit breaker of the selected server is open. */
        BREAKER_OPEN,
        /** The call was cancelled, or the client or server was closed. */
        CANCELLED,
        /** The configuration or the module path is wrong (missing provider, bad registration...). */
        CONFIGURATION
    }

    private final Kind kind;

    /** Creates an exception of the given kind. */
    public RpcException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** Creates an exception of the given kind with its cause. */
    public RpcException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }

    /** Whether a fail mode may try again after this error (not for service errors, timeouts or cancellation). */
    public boolean isRetryable() {
        return kind == Kind.TRANSPORT || kind == Kind.BREAKER_OPEN || kind == Kind.NO_SERVER;
    }
}
