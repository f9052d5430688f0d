package rpcx.api.spi;

/**
 * A circuit breaker for one server (Go's {@code Breaker}). Thread-safe. The client asks {@link #ready()} before
 * each call or dial to the server and reports every outcome that says something about the server's health
 * ({@link #success()} / {@link #fail()}).
 */
public interface CircuitBreaker {
    /** The breaker's states. */
    enum State {
        /** Calls flow; failures are counted. */
        CLOSED,
        /** Calls are refused until the open period has passed. */
        OPEN,
        /** A limited number of probe calls may pass; a success closes the breaker, a failure opens it again. */
        HALF_OPEN
    }

    /**
     * Whether a call may go to the server now. In the half-open state, each {@code true} admits one probe call,
     * whose outcome the caller reports.
     */
    boolean ready();

    /** Records a success. */
    void success();

    /** Records a failure. */
    void fail();

    /** The current state, for observability and tests; breakers without states report {@link State#CLOSED}. */
    default State state() {
        return State.CLOSED;
    }
}
