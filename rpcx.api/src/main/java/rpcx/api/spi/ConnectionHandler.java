package rpcx.api.spi;

import rpcx.api.protocol.Message;

/**
 * Receives a connection's events. Transports call it on their I/O threads: implementations must not block.
 * Frames of one connection arrive in order.
 */
public interface ConnectionHandler {
    /** A connection was accepted or established. */
    default void onOpen(Connection connection) {
    }

    /** A whole, well-formed frame arrived (payload still as on the wire). */
    void onMessage(Connection connection, Message message);

    /**
     * The connection failed: a malformed or oversized frame ({@link rpcx.api.protocol.ProtocolException}), a
     * timeout, or an I/O error. The transport closes the connection after this call.
     */
    default void onError(Connection connection, Throwable error) {
    }

    /** The connection is closed; called exactly once. */
    default void onClose(Connection connection) {
    }
}
