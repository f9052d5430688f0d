package rpcx.api;

import java.util.Map;

/**
 * The server answered with an error status: the service method failed, or the server could not find the
 * service or method. The message is the server's {@code __rpcx_error__} text, verbatim.
 */
public class ServiceException extends RpcException {
    private static final long serialVersionUID = 1L;
    private final transient Map<String, String> responseMetadata;

    /** Creates a service error with the server's message and the response metadata. */
    public ServiceException(String message, Map<String, String> responseMetadata) {
        super(Kind.SERVICE, message);
        this.responseMetadata = Map.copyOf(responseMetadata);
    }

    /** Creates a service error with just a message (server side: becomes {@code __rpcx_error__}). */
    public ServiceException(String message) {
        this(message, Map.of());
    }

    /** The metadata of the error response (includes {@code __rpcx_error__}). */
    public Map<String, String> responseMetadata() {
        return responseMetadata == null ? Map.of() : responseMetadata;
    }
}
