package rpcx.api.spi;

import java.util.concurrent.CompletableFuture;

/**
 * A transport instance: listens (server side) and connects (client side) for the networks its provider serves.
 * Closing it closes its listeners and connections and stops its threads.
 */
public interface Transport extends AutoCloseable {
    /**
     * Starts listening. The future completes once the listener is bound (its address then tells the real port
     * for {@code :0}) or fails with a {@link rpcx.api.TransportException}.
     *
     * @param network e.g. {@code tcp}
     * @param address e.g. {@code 127.0.0.1:8972} or a socket path for {@code unix}
     * @param handler receives every accepted connection's frames
     */
    CompletableFuture<Listener> listen(String network, String address, ConnectionHandler handler);

    /**
     * Dials a server. The future completes with an open connection, or fails with a
     * {@link rpcx.api.TransportException} (connect timeout included).
     */
    CompletableFuture<Connection> connect(String network, String address, ConnectionHandler handler);

    /** Closes listeners and connections and releases threads. Idempotent. */
    @Override
    void close();
}
