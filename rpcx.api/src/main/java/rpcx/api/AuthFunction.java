package rpcx.api;

import rpcx.api.protocol.Message;

/**
 * Checks the credentials of every request (Go's {@code Server.AuthFunc}); set it with
 * {@link Server#authFunction}. Return normally to accept; throw to refuse, typically an
 * {@link UnauthenticatedException}.
 *
 * <p>When it throws, the caller gets an error reply whose {@code __rpcx_error__} is the exception's message (or
 * what {@link Server#errorFunction} makes of it, Go's {@code err.Error()}), and the server then closes the
 * connection, as Go does; a oneway request gets no reply but the connection is closed too. Heartbeats are never
 * authenticated. It runs after the {@link ServerPlugin#postReadRequest} hooks and before
 * {@link ServerPlugin#preHandleRequest}, on the service executor (not on an I/O thread), so it may block, e.g. to
 * ask a token service.
 *
 * <pre>{@code
 * server.authFunction((ctx, req, token) -> {
 *     if (!"bearer tGzv3JOkF0XG5Qx2TlKWIA".equals(token)) throw new UnauthenticatedException("invalid token");
 * });
 * }</pre>
 */
@FunctionalInterface
public interface AuthFunction {
    /**
     * Accepts the request or throws.
     *
     * @param context the call's context (metadata, deadline, peer, {@link CallContext#connection()})
     * @param request the request frame
     * @param token   the {@code __AUTH} metadata value, {@code ""} when the caller sent none (as in Go)
     * @throws Exception to refuse the request; the error reply carries its message and the connection is closed
     */
    void authenticate(CallContext context, Message request, String token) throws Exception;
}
