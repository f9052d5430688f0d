package rpcx.transfer;

import rpcx.api.RpcException;

/** A side channel could not be opened, reached or used (kind {@code TRANSPORT}): the message says which and why. */
public class TransferException extends RpcException {
    private static final long serialVersionUID = 1L;

    /** With a message. */
    public TransferException(String message) {
        super(Kind.TRANSPORT, message);
    }

    /** With a message and a cause. */
    public TransferException(String message, Throwable cause) {
        super(Kind.TRANSPORT, message, cause);
    }
}
