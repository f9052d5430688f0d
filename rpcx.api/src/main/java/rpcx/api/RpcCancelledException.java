package rpcx.api;

/** The call was cancelled, or the client or server shut down before it completed. */
public class RpcCancelledException extends RpcException {
    private static final long serialVersionUID = 1L;

    /** Creates the error. */
    public RpcCancelledException(String message) {
        super(Kind.CANCELLED, message);
    }
}
