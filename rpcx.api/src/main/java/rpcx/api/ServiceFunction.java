package rpcx.api;

/**
 * A plain function exposed as a service method (Go's {@code RegisterFunction}): takes the call context and the
 * decoded args, returns the reply (or a {@code CompletionStage} of it). A thrown exception becomes an error reply.
 *
 * @param <A> the args type
 * @param <R> the reply type
 */
@FunctionalInterface
public interface ServiceFunction<A, R> {
    /** Serves one call. */
    R apply(CallContext context, A args) throws Exception;
}
