package rpcx.api;

/**
 * What one server answered to {@link XClient#inform} (Go's {@code Receipt}): its reply, or the error its call
 * ended with.
 *
 * @param address the server, {@code network@host:port}
 * @param reply   the reply, or null when the call failed
 * @param error   the error, or null when the call succeeded
 * @param <R>     the reply type
 */
public record Receipt<R>(String address, R reply, RpcException error) {
    /** Whether the server answered without error. */
    public boolean ok() {
        return error == null;
    }
}
