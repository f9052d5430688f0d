package rpcx.api;

/** The server rejected the call's credentials ({@code __AUTH}). The token is never part of the message. */
public class UnauthenticatedException extends RpcException {
    private static final long serialVersionUID = 1L;

    /** Creates the error. */
    public UnauthenticatedException(String message) {
        super(Kind.UNAUTHENTICATED, message);
    }
}
