package rpcx.testkit;

import java.io.EOFException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import rpcx.api.protocol.FrameCodec;

/**
 * A byte-level peer of a stream transport (TCP or a unix domain socket) for tests: it writes arbitrary bytes,
 * including malformed frames, reads raw frames back and notices when the other side closes. Every blocking
 * operation takes a timeout. Not thread-safe.
 */
public final class RawPeer implements RawStream {
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;

    private RawPeer(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
    }

    /**
     * Connects to an {@link InetSocketAddress} (a wildcard address means this host's loopback) or a
     * {@link UnixDomainSocketAddress}.
     *
     * @param address where to connect
     * @return the connected peer
     * @throws IOException if the connection fails
     */
    public static RawPeer connect(SocketAddress address) throws IOException {
        return connect(address, 0);
    }

    /**
     * Connects with a given socket receive buffer size, e.g. a small one for a peer that never reads so that the
     * other side's writes stall quickly.
     *
     * @param address           where to connect
     * @param receiveBufferSize {@code SO_RCVBUF} in bytes, or 0 for the system default
     * @return the connected peer
     * @throws IOException if the connection fails
     */
    public static RawPeer connect(SocketAddress address, int receiveBufferSize) throws IOException {
        SocketAddress target = dialable(address);
        SocketChannel ch = target instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            if (receiveBufferSize > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferSize);
            }
            ch.connect(target);
            return new RawPeer(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * The address a client uses to reach a listener bound to {@code address}: a wildcard IP becomes the loopback
     * address of the same family; anything else is returned unchanged.
     *
     * @param address a listener's bound address
     * @return an address a local client can connect to
     */
    public static SocketAddress dialable(SocketAddress address) {
        if (address instanceof InetSocketAddress isa && isa.getAddress() != null && isa.getAddress().isAnyLocalAddress()) {
            InetAddress loopback = isa.getAddress() instanceof Inet6Address ? v6Loopback() : v4Loopback();
            return new InetSocketAddress(loopback, isa.getPort());
        }
        return address;
    }

    private static InetAddress v4Loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress v6Loopback() {
        try {
            byte[] a = new byte[16];
            a[15] = 1;
            return InetAddress.getByAddress("localhost", a);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * This side's address.
     *
     * @return the local socket address, or null if it cannot be told
     */
    public SocketAddress localAddress() {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Writes all bytes, waiting at most 10 seconds for the other side to make room.
     *
     * @param bytes what to write
     * @throws IOException if the write fails or stalls for 10 seconds
     */
    public void write(byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (buf.hasRemaining()) {
            if (channel.write(buf) == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("write stalled: " + buf.remaining() + " of " + bytes.length + " bytes not written");
                }
                await(SelectionKey.OP_WRITE, left);
            }
        }
    }

    /**
     * Reads exactly {@code n} bytes.
     *
     * @param n       how many bytes
     * @param timeout how long to wait for all of them
     * @return the bytes
     * @throws EOFException     if the other side closes first
     * @throws TimeoutException if they do not all arrive in time
     * @throws IOException      on an I/O error (a reset, say)
     */
    public byte[] read(int n, Duration timeout) throws IOException, TimeoutException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (buf.hasRemaining()) {
            int r = channel.read(buf);
            if (r < 0) {
                throw new EOFException("closed by peer after " + buf.position() + " of " + n + " bytes");
            }
            if (r == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("got " + buf.position() + " of " + n + " bytes within " + timeout);
                }
                await(SelectionKey.OP_READ, left);
            }
        }
        return buf.array();
    }

    /**
     * Reads one whole rpcx frame (prefix and body) as raw bytes, without interpreting it beyond its length.
     *
     * @param timeout how long to wait for the whole frame
     * @return the frame's bytes
     * @throws EOFException     if the other side closes first
     * @throws TimeoutException if the frame does not arrive in time
     * @throws IOException      on an I/O error
     */
    public byte[] readFrame(Duration timeout) throws IOException, TimeoutException {
        long start = System.nanoTime();
        byte[] prefix = read(FrameCodec.PREFIX_LENGTH, timeout);
        int totalLen = ByteBuffer.wrap(prefix).getInt(12);
        if (totalLen < 0) {
            throw new IOException("frame totalLen " + Integer.toUnsignedString(totalLen) + " is too large for a test");
        }
        Duration left = timeout.minusNanos(System.nanoTime() - start);
        byte[] body = read(totalLen, left.isNegative() ? Duration.ZERO : left);
        byte[] frame = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        System.arraycopy(body, 0, frame, prefix.length, body.length);
        return frame;
    }

    /**
     * Waits until the other side closes the connection, discarding whatever it still sends.
     *
     * @param timeout how long to wait
     * @return true if the connection was closed (end of stream or a reset) in time, false if it is still open
     */
    public boolean awaitClosed(Duration timeout) {
        ByteBuffer sink = ByteBuffer.allocate(8192);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                sink.clear();
                int r = channel.read(sink);
                if (r < 0) {
                    return true;
                }
                if (r == 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    await(SelectionKey.OP_READ, left);
                }
            }
        } catch (IOException e) {
            return true; // connection reset: closed as well
        }
    }

    /**
     * Half-closes: sends end-of-stream, keeps reading possible.
     *
     * @throws IOException if the socket fails
     */
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    private void await(int op, long nanos) throws IOException {
        key.interestOps(op);
        selector.select(Math.max(1, nanos / 1_000_000));
        selector.selectedKeys().clear();
        key.interestOps(0);
    }

    /** Closes the socket. Idempotent. */
    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
