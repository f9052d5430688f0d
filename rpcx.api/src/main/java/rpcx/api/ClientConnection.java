package rpcx.api;

import java.net.SocketAddress;

/**
 * One client connection as the server's plugins and services see it: who it is, and a way to close it. A service
 * reaches the connection of its call through {@link CallContext#connection()}, and pushes to it with
 * {@link Server#sendMessage}.
 */
public interface ClientConnection {
    /** An id unique within the server's lifetime. */
    long id();

    /** The client's address. */
    SocketAddress remoteAddress();

    /** The server's address of this connection. */
    SocketAddress localAddress();

    /** Whether the connection is still open. */
    boolean isOpen();

    /** Closes the connection. */
    void close();
}
