package rpcx.api;

/** Connecting, writing or reading failed, or the connection dropped while the call was in flight. */
public class TransportException extends RpcException {
    private static final long serialVersionUID = 1L;

    /** Creates a transport error. */
    public TransportException(String message) {
        super(Kind.TRANSPORT, message);
    }

    /** Creates a transport error with its cause. */
    public TransportException(String message, Throwable cause) {
        super(Kind.TRANSPORT, message, cause);
    }
}
