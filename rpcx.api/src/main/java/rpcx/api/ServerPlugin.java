package rpcx.api;

import rpcx.api.protocol.Message;

/**
 * A server plugin (Go's {@code server.Plugin} family): implement the hooks you need — all default to doing
 * nothing — and add it with {@link Server#addPlugin}. Plugins are only ever added by code, never switched on by
 * being on the module path. They run in the order they were added; at each hook the first plugin that throws
 * stops the others, except for the registration hooks, where every plugin runs and the errors are collected.
 * Hooks must be thread-safe; connection and read hooks run on I/O threads and must not block.
 *
 * <table>
 *   <caption>Hooks, when they run, and what an exception does</caption>
 *   <tr><th>hook</th><th>when</th><th>an exception</th></tr>
 *   <tr><td>{@link #register} / {@link #unregister} / {@link #registerFunction}</td><td>on registration; unregister
 *       on {@link Server#unregisterAll()} and shutdown</td><td>collected; registration fails with all of them</td></tr>
 *   <tr><td>{@link #connectionAccepted}</td><td>after accept</td><td>{@code false} or an exception closes it</td></tr>
 *   <tr><td>{@link #connectionClosed}</td><td>after close</td><td>logged</td></tr>
 *   <tr><td>{@link #preReadRequest}</td><td>before a frame is handled</td><td>closes the connection</td></tr>
 *   <tr><td>{@link #postReadRequest}</td><td>after a frame is decoded; may replace it</td><td>{@link RequestLimitException}:
 *       an error reply, the connection stays; anything else closes the connection</td></tr>
 *   <tr><td>{@link #heartbeat}</td><td>on a heartbeat frame, before it is echoed</td><td>logged</td></tr>
 *   <tr><td>{@link #preHandleRequest}</td><td>before dispatch</td><td>ignored (as Go on its TCP path), logged</td></tr>
 *   <tr><td>{@link #preCall}</td><td>after the args are decoded; may replace them</td><td>the error reply</td></tr>
 *   <tr><td>{@link #postCall}</td><td>after the method; may replace the reply</td><td>the error reply</td></tr>
 *   <tr><td>{@link #preWriteResponse} / {@link #postWriteResponse}</td><td>around writing the reply</td><td>logged</td></tr>
 *   <tr><td>{@link #preWriteRequest} / {@link #postWriteRequest}</td><td>around {@link Server#sendMessage}</td>
 *       <td>pre: the push is not sent; post: logged</td></tr>
 * </table>
 */
public interface ServerPlugin {
    /** A service was registered ({@code Register}/{@code RegisterName}); registries publish it here. */
    default void register(String name, Object service, String metadata) {
    }

    /** A service is being unregistered ({@code UnregisterAll}, shutdown). */
    default void unregister(String name) {
    }

    /** A function was registered ({@code RegisterFunction}). */
    default void registerFunction(String servicePath, String name, Object function, String metadata) {
    }

    /** A connection was accepted; return false to close it at once. */
    default boolean connectionAccepted(ClientConnection connection) {
        return true;
    }

    /** A connection closed. */
    default void connectionClosed(ClientConnection connection) {
    }

    /**
     * A frame arrived and is about to be handled (every frame, heartbeats included; the transport has already
     * decoded it). An exception closes the connection, except a {@link RequestLimitException}, which refuses this
     * request only, as from {@link #postReadRequest}.
     */
    default void preReadRequest(ClientConnection connection) {
    }

    /**
     * A request frame was decoded; returns the frame to handle (the same, or a rewritten one, e.g. an alias). A
     * {@link RequestLimitException} answers this request with an error reply (none for a oneway request; the
     * {@link #preWriteResponse} hooks still see it, with a null response) and the connection stays; any other
     * exception closes the connection. The {@link Server#authFunction auth function} runs after these hooks.
     */
    default Message postReadRequest(ClientConnection connection, Message request) {
        return request;
    }

    /** A heartbeat frame arrived (it is echoed after this hook). */
    default void heartbeat(ClientConnection connection, Message request) {
    }

    /**
     * A request is about to be dispatched to its service, function or handler: after the auth function accepted
     * it, on the service executor.
     */
    default void preHandleRequest(CallContext context, Message request) {
    }

    /**
     * The args were decoded; returns the args to call the method with. Not called for router handlers (as in Go).
     * An exception is the call's error reply (without payload); the method is not called.
     */
    default Object preCall(CallContext context, String servicePath, String method, Object args) {
        return args;
    }

    /**
     * The method returned {@code reply} (null when it failed with {@code error}); returns the reply to send. On an
     * error the reply returned becomes the error reply's payload (as Go encodes the reply), but the error stays.
     * An exception after a successful call becomes the error reply.
     */
    default Object postCall(CallContext context, String servicePath, String method, Object args, Object reply,
                            Throwable error) {
        return reply;
    }

    /**
     * The reply frame is about to be written ({@code error} is the call's error, if any; {@code response} is
     * null for a refused oneway request, which gets no reply). Oneway calls and heartbeats are not written and
     * do not come here.
     */
    default void preWriteResponse(CallContext context, Message request, Message response, Throwable error) {
    }

    /**
     * The reply frame was written, or failed to be: {@code error} is the write's failure if it failed, else the
     * call's error if any (Go passes the call's error). Runs on an I/O thread: must not block.
     */
    default void postWriteResponse(CallContext context, Message request, Message response, Throwable error) {
    }

    /** A server push is about to be written to a connection. */
    default void preWriteRequest(ClientConnection connection, Message push) {
    }

    /** A server push was written, or failed to be ({@code error}). */
    default void postWriteRequest(ClientConnection connection, Message push, Throwable error) {
    }
}
