package rpcx.api.spi;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/** A bound server socket. */
public interface Listener extends AutoCloseable {
    /** The bound address (the real port when listening on port 0). */
    SocketAddress localAddress();

    /** Stops accepting; already accepted connections stay open. The future completes once unbound. */
    CompletableFuture<Void> stopAccepting();

    /** Stops accepting. */
    @Override
    default void close() {
        stopAccepting().join();
    }
}
