package rpcx.api;

/**
 * A reflection-free, router-style handler (Go's {@code AddHandler}): reads the request through the
 * {@link HandlerContext} and writes a reply or an error. Handlers are checked before registered services.
 */
@FunctionalInterface
public interface Handler {
    /** Serves one request; an exception becomes an error reply unless a reply was already written. */
    void handle(HandlerContext context) throws Exception;
}
