package rpcx.api.spi;

import rpcx.api.protocol.ProtocolException;

/** A value could not be encoded, or payload bytes did not decode into the requested type. */
public class CodecException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    /** Creates the error. */
    public CodecException(String message) {
        super(message);
    }

    /** Creates the error with its cause. */
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
