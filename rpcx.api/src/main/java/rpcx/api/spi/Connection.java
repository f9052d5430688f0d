package rpcx.api.spi;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

import rpcx.api.protocol.Message;

/**
 * One transport connection carrying whole frames. {@link #send} never blocks the caller: it queues the frame and
 * the transport coalesces flushes under load.
 */
public interface Connection extends AutoCloseable {
    /**
     * Queues a frame for writing. The future completes when it is written, or fails with a
     * {@link rpcx.api.TransportException} when the connection is closed or the write fails.
     */
    CompletableFuture<Void> send(Message message);

    /** The peer's address. */
    SocketAddress remoteAddress();

    /** This side's address. */
    SocketAddress localAddress();

    /** Whether the connection is still open. */
    boolean isOpen();

    /**
     * Stops reading from the peer (backpressure): frames already received are still delivered, writes still go
     * out, and idle or frame timeouts do not fire while paused. Idempotent.
     */
    void pauseReading();

    /** Reads from the peer again after {@link #pauseReading()}. Idempotent. */
    void resumeReading();

    /** Completes when the connection is closed, for whatever reason. */
    CompletableFuture<Void> closeFuture();

    /** Closes the connection. Idempotent. */
    @Override
    void close();
}
