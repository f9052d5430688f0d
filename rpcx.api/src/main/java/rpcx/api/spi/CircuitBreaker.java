package rpcx.api.spi;

/** A circuit breaker for one server (Go's {@code Breaker}). Thread-safe. */
public interface CircuitBreaker {
    /** Whether a call may go to the server now. */
    boolean ready();

    /** Records a success. */
    void success();

    /** Records a failure. */
    void fail();
}
