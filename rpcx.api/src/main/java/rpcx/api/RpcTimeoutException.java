package rpcx.api;

/** The call's deadline passed before a reply arrived (or before the server started the work). */
public class RpcTimeoutException extends RpcException {
    private static final long serialVersionUID = 1L;

    /** Creates a timeout error. */
    public RpcTimeoutException(String message) {
        super(Kind.TIMEOUT, message);
    }
}
