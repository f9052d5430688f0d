package rpcx.api.protocol;

import rpcx.api.RpcException;

/**
 * Bytes that are not a valid rpcx frame: bad magic, lengths that do not fit, a payload that does not decode.
 * A transport that gets one closes the connection it came from; nothing else is affected.
 */
public class ProtocolException extends RpcException {
    private static final long serialVersionUID = 1L;

    /** Creates the error; the message names the field that was wrong. */
    public ProtocolException(String message) {
        super(Kind.PROTOCOL, message);
    }

    /** Creates the error with its cause. */
    public ProtocolException(String message, Throwable cause) {
        super(Kind.PROTOCOL, message, cause);
    }
}
