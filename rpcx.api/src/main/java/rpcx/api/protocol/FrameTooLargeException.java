package rpcx.api.protocol;

/** A frame (or an inflated payload) is larger than the configured maximum message size. */
public class FrameTooLargeException extends ProtocolException {
    private static final long serialVersionUID = 1L;
    private final long declaredLength;
    private final int maxLength;

    /** Creates the error for a declared length above the maximum. */
    public FrameTooLargeException(String what, long declaredLength, int maxLength) {
        super(what + " of " + declaredLength + " bytes exceeds the maximum message size of " + maxLength
                + " bytes (raise maxMessageLength on both peers if such messages are expected)");
        this.declaredLength = declaredLength;
        this.maxLength = maxLength;
    }

    /** The length the peer declared. */
    public long declaredLength() {
        return declaredLength;
    }

    /** The maximum in force. */
    public int maxLength() {
        return maxLength;
    }
}
