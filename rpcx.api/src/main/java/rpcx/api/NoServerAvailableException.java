package rpcx.api;

/** Discovery, the {@code state}/{@code group} filters or the selector left no server to call. */
public class NoServerAvailableException extends RpcException {
    private static final long serialVersionUID = 1L;

    /** Creates the error. */
    public NoServerAvailableException(String message) {
        super(Kind.NO_SERVER, message);
    }
}
