package rpcx.api;

/** The circuit breaker of the selected server is open; the call was not sent ({@code breaker open} in Go). */
public class BreakerOpenException extends RpcException {
    private static final long serialVersionUID = 1L;

    /** Creates the error for a server address. */
    public BreakerOpenException(String server) {
        super(Kind.BREAKER_OPEN, "breaker open for " + server + ": the server failed too often recently; it is retried after the breaker's window");
    }
}
