package rpcx.api;

/**
 * Thrown by a server plugin's {@link ServerPlugin#postReadRequest} to refuse one request without closing its
 * connection (Go's {@code ErrReqReachLimit}): the client gets an error reply with this message, by default Go's
 * {@code request reached rate limit}.
 */
public class RequestLimitException extends ServiceException {
    private static final long serialVersionUID = 1L;

    /** Go's text. */
    public static final String REACHED = "request reached rate limit";

    /** The error with Go's text. */
    public RequestLimitException() {
        super(REACHED);
    }

    /** The error with another text. */
    public RequestLimitException(String message) {
        super(message);
    }
}
