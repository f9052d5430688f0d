package rpcx.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A byte-level peer of a listener for the byte-level cases of {@link TransportConformance}: it writes arbitrary
 * bytes (malformed frames included) on the transport's byte stream, reads the frames that come back, half-closes
 * and notices the close. {@link RawPeer} is one over a TCP or unix socket; {@link RawStreams#over} makes one over
 * a transport's own connection for transports whose byte stream runs inside another protocol (QUIC, KCP).
 */
public interface RawStream extends AutoCloseable {
    /**
     * Writes bytes as they are.
     *
     * @param bytes the bytes
     * @throws IOException if the write fails
     */
    void write(byte[] bytes) throws IOException;

    /**
     * Reads one whole frame sent by the other side.
     *
     * @param timeout how long to wait
     * @return the frame's bytes
     * @throws IOException      on an I/O error or when the other side closes first
     * @throws TimeoutException if no frame arrives in time
     */
    byte[] readFrame(Duration timeout) throws IOException, TimeoutException;

    /**
     * Waits until the other side closed the stream.
     *
     * @param timeout how long to wait
     * @return whether it closed within the timeout
     */
    boolean awaitClosed(Duration timeout);

    /**
     * Closes the sending side only (TCP's FIN, a QUIC stream's FIN); the test is skipped where the transport has
     * no half-close.
     *
     * @throws IOException if it fails
     */
    void shutdownOutput() throws IOException;

    /** Closes the stream. */
    @Override
    void close();
}
