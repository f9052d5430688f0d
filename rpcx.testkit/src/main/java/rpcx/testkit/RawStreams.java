package rpcx.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import rpcx.api.protocol.FrameCodec;
import rpcx.api.spi.Connection;

/** {@link RawStream}s over a transport's own client connection. */
public final class RawStreams {
    private RawStreams() {
    }

    /** Writes raw bytes on a connection's byte stream (a transport's test hook). */
    @FunctionalInterface
    public interface RawWriter {
        /**
         * Writes the bytes as they are, not as a frame.
         *
         * @param bytes the bytes
         * @throws IOException if it fails
         */
        void write(byte[] bytes) throws IOException;
    }

    /** Closes a connection's sending side (a transport's test hook). */
    @FunctionalInterface
    public interface HalfCloser {
        /**
         * Closes the sending side only.
         *
         * @throws IOException if it fails
         */
        void shutdownOutput() throws IOException;
    }

    /**
     * A raw stream over a connected client connection.
     *
     * @param connection the client connection, dialled with {@code received} as its handler
     * @param received   the connection's handler: frames the listener sends are read from it
     * @param writer     writes raw bytes on the connection's byte stream
     * @param halfCloser closes its sending side; null where the transport has none (the test is then skipped)
     * @return the raw stream
     */
    public static RawStream over(Connection connection, RecordingHandler received, RawWriter writer, HalfCloser halfCloser) {
        return new RawStream() {
            @Override
            public void write(byte[] bytes) throws IOException {
                writer.write(bytes);
            }

            @Override
            public byte[] readFrame(Duration timeout) throws TimeoutException {
                try {
                    return FrameCodec.encode(received.nextMessage(timeout));
                } catch (AssertionError e) {
                    throw new TimeoutException("no frame within " + timeout);
                }
            }

            @Override
            public boolean awaitClosed(Duration timeout) {
                try {
                    connection.closeFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    return true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } catch (ExecutionException e) {
                    return true;
                } catch (TimeoutException e) {
                    return false;
                }
            }

            @Override
            public void shutdownOutput() throws IOException {
                org.junit.jupiter.api.Assumptions.assumeTrue(halfCloser != null,
                        "this transport has no half-close: " + connection);
                halfCloser.shutdownOutput();
            }

            @Override
            public void close() {
                connection.close();
            }
        };
    }
}
