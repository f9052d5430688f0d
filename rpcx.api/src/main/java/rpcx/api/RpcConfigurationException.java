package rpcx.api;

/** The configuration or the module path is wrong: a missing or duplicate provider, an unsuitable service. */
public class RpcConfigurationException extends RpcException {
    private static final long serialVersionUID = 1L;

    /** Creates the error; the message says what to change. */
    public RpcConfigurationException(String message) {
        super(Kind.CONFIGURATION, message);
    }

    /** Creates the error with its cause. */
    public RpcConfigurationException(String message, Throwable cause) {
        super(Kind.CONFIGURATION, message, cause);
    }
}
