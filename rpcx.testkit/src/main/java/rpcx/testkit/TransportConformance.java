package rpcx.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import rpcx.api.TransportException;
import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.FrameTooLargeException;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.ProtocolException;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Connection;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;

/**
 * The behaviour every rpcx {@link Transport} must show, as an abstract JUnit Jupiter test class. A transport
 * module extends it once per network it serves and implements three methods; the tests then run against real
 * listeners and connections of that transport:
 *
 * <pre>{@code
 * class TcpConformanceTest extends TransportConformance {
 *     protected Transport createTransport(TransportConfig config) { return new MyProvider().create(config); }
 *     protected String network() { return "tcp"; }
 *     protected String listenAddress() { return "127.0.0.1:0"; }
 * }
 * }</pre>
 *
 * <p>What is checked: request/response echo with metadata; open and close reported exactly once on both sides,
 * an error before the close; 10,000 calls in flight at once on one connection all delivered and answered; a frame
 * of exactly the maximum size delivered intact; a frame over the maximum rejected with
 * {@link FrameTooLargeException} in {@code onError} and that connection closed while the listener keeps serving;
 * server push; sending on a closed connection fails with {@link TransportException};
 * {@link Listener#stopAccepting()} keeps accepted connections; closing a transport closes its connections; the
 * read idle timeout closes idle connections only.
 *
 * <p>Byte-level checks (garbage bytes, a wrong magic number, a peer closing mid-frame, a half-closed peer, a
 * stalled half-sent frame closed after {@link TransportConfig#frameTimeout()}) need a raw byte stream to the
 * listener, which {@link #openRaw(Listener)} provides for listeners bound to IP or unix domain socket addresses;
 * transports whose byte stream runs inside another protocol override {@link #openRawStream(Listener)}; otherwise
 * these tests are skipped.
 *
 * <p>Servers in these tests use {@link #maxMessageLength()} as their maximum frame size and
 * {@link #frameTimeout()}; clients allow four times the maximum so that oversized frames reach the server.
 */
public abstract class TransportConformance {
    /** The generous timeout of every wait in these tests. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<Transport> transports = new ArrayList<>();

    /** Creates the suite. */
    protected TransportConformance() {
    }

    /**
     * Creates a transport of the implementation under test.
     *
     * @param config the configuration to use
     * @return a new transport; the suite closes it after each test
     */
    protected abstract Transport createTransport(TransportConfig config);

    /**
     * The network under test, as in {@code network@address}.
     *
     * @return e.g. {@code tcp}
     */
    protected abstract String network();

    /**
     * An address to listen on that picks a free endpoint; called once per listener.
     *
     * @return e.g. {@code 127.0.0.1:0}, or a fresh socket path for {@code unix}
     */
    protected abstract String listenAddress();

    /**
     * The address a client of {@link #network()} dials to reach a listener. The default handles
     * {@link InetSocketAddress} ({@code host:port}, IPv6 in brackets, a wildcard replaced by loopback) and
     * {@link UnixDomainSocketAddress} (the path), and uses {@code toString()} otherwise.
     *
     * @param listener a listener of this suite
     * @return the dial address
     */
    protected String dialAddress(Listener listener) {
        SocketAddress a = RawPeer.dialable(listener.localAddress());
        if (a instanceof InetSocketAddress isa) {
            String host = isa.getAddress().getHostAddress();
            return (isa.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + isa.getPort();
        }
        if (a instanceof UnixDomainSocketAddress u) {
            return u.getPath().toString();
        }
        return String.valueOf(a);
    }

    /**
     * Opens a raw byte stream to a listener, for the byte-level tests. The default connects a {@link RawPeer} to
     * IP and unix domain socket listeners and skips the test (a JUnit assumption) for other addresses.
     *
     * @param listener a listener of this suite
     * @return a connected raw peer
     * @throws IOException if connecting fails
     */
    protected RawPeer openRaw(Listener listener) throws IOException {
        SocketAddress a = listener.localAddress();
        Assumptions.assumeTrue(a instanceof InetSocketAddress || a instanceof UnixDomainSocketAddress,
                "no raw byte access to " + network() + " listeners");
        return RawPeer.connect(a);
    }

    /**
     * Opens the byte-level peer the byte-level tests use. The default is {@link #openRaw}; a transport whose byte
     * stream runs inside another protocol (QUIC, KCP) returns one over its own client connection
     * ({@link RawStreams#over}), so the same cases run through it.
     *
     * @param listener a listener of this suite
     * @return a connected raw stream
     * @throws IOException if connecting fails
     */
    protected RawStream openRawStream(Listener listener) throws IOException {
        return openRaw(listener);
    }

    /**
     * The maximum frame size ({@code totalLen}) of the servers in this suite.
     *
     * @return 1 MiB unless overridden
     */
    protected int maxMessageLength() {
        return 1 << 20;
    }

    /**
     * The frame timeout of the servers in this suite.
     *
     * @return 300 ms unless overridden
     */
    protected Duration frameTimeout() {
        return Duration.ofMillis(300);
    }

    /**
     * The configuration of server transports in this suite.
     *
     * @return limits of {@link #maxMessageLength()}, {@link #frameTimeout()}, two I/O threads
     */
    protected TransportConfig serverConfig() {
        return new TransportConfig(FrameLimits.DEFAULT.withMaxMessageLength(maxMessageLength()), Duration.ZERO,
                Duration.ZERO, frameTimeout(), Duration.ofSeconds(5), 2);
    }

    /**
     * The configuration of client transports in this suite.
     *
     * @return limits of four times {@link #maxMessageLength()}, a 5 s connect timeout, no frame timeout
     */
    protected TransportConfig clientConfig() {
        return new TransportConfig(FrameLimits.DEFAULT.withMaxMessageLength(maxMessageLength() * 4), Duration.ZERO,
                Duration.ZERO, Duration.ZERO, Duration.ofSeconds(5), 0);
    }

    /**
     * Creates a transport that is closed after the test.
     *
     * @param config its configuration
     * @return the transport
     */
    protected final Transport transport(TransportConfig config) {
        Transport t = createTransport(config);
        synchronized (transports) {
            transports.add(t);
        }
        return t;
    }

    /**
     * Starts a listener on a fresh server transport.
     *
     * @param handler the server's handler
     * @return the bound listener
     */
    protected final Listener listen(RecordingHandler handler) {
        return get(transport(serverConfig()).listen(network(), listenAddress(), handler));
    }

    /**
     * Connects a fresh client transport to a listener.
     *
     * @param listener where to connect
     * @param handler  the client's handler
     * @return the open connection
     */
    protected final Connection connect(Listener listener, RecordingHandler handler) {
        Connection c = get(transport(clientConfig()).connect(network(), dialAddress(listener), handler));
        if (serverSeesConnectionAtFirstFrame()) {
            get(c.send(HELLO)); // so that the server learns of it, as a Go client's first request does
        }
        return c;
    }

    /**
     * The frame {@link #connect} sends first when {@link #serverSeesConnectionAtFirstFrame()}: a oneway heartbeat to
     * {@link RecordingHandler#HELLO_PATH}, which recording handlers neither record nor answer.
     */
    protected static final Message HELLO = Message.request(0, RecordingHandler.HELLO_PATH, "", SerializeType.MSGPACK,
            Map.of(), new byte[0]).withHeartbeat(true).withOneway(true);

    /**
     * Whether the server side learns of a connection only when its first frame arrives. So it is with QUIC as Go
     * maps it: the peer sees a stream with its first data (quic-go's {@code AcceptStream} too), so a Go server sees
     * a client with its first request. When true, {@link #connect} sends {@link #HELLO} at once.
     *
     * @return false unless overridden
     */
    protected boolean serverSeesConnectionAtFirstFrame() {
        return false;
    }

    /**
     * Waits for a future with {@link #TIMEOUT}, failing the test on error or timeout.
     *
     * @param future the future
     * @param <T>    its value type
     * @return its value
     */
    protected static <T> T get(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError("future failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("future not done within " + TIMEOUT, e);
        }
    }

    /**
     * Waits for a future that must fail, and returns its cause.
     *
     * @param future the future
     * @return the cause of its failure
     */
    protected static Throwable failure(CompletableFuture<?> future) {
        try {
            Object v = future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure but got " + v);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("future not done within " + TIMEOUT, e);
        }
    }

    /**
     * A request for the tests.
     *
     * @param seq     its seq
     * @param payload its payload
     * @return a msgpack-typed request to {@code Arith.Mul} with one metadata entry
     */
    protected static Message request(long seq, byte[] payload) {
        return Message.request(seq, "Arith", "Mul", SerializeType.MSGPACK, Map.of("trace", "t-" + seq), payload);
    }

    /**
     * The bytes of a valid request frame, for the raw tests.
     *
     * @param seq its seq
     * @return the encoded frame
     */
    protected static byte[] validFrame(long seq) {
        return FrameCodec.encode(request(seq, new byte[] {(byte) 0x82, (byte) 0xa1, 0x41, 0x0a, (byte) 0xa1, 0x42, 0x14}));
    }

    /** Closes every transport the test created. */
    @AfterEach
    public void closeTransports() {
        List<Transport> all;
        synchronized (transports) {
            all = new ArrayList<>(transports);
            transports.clear();
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).close();
        }
    }

    private void assertServes(Listener listener) {
        RecordingHandler client = new RecordingHandler();
        Connection c = connect(listener, client);
        get(c.send(request(4242, "still serving".getBytes(StandardCharsets.UTF_8))));
        Message reply = client.nextMessage(TIMEOUT);
        assertEquals(4242, reply.seq());
        assertTrue(reply.isResponse());
        c.close();
    }

    /** A request comes back as its echo response: seq, path, method, flags, metadata and payload intact. */
    @Test
    public void echoesRequestAndResponse() {
        RecordingHandler server = RecordingHandler.echo();
        Listener listener = listen(server);
        RecordingHandler client = new RecordingHandler();
        Connection c = connect(listener, client);
        Message req = Message.request(7, "Arith", "Mul", SerializeType.JSON, Map.of("k", "v", "__AUTH", "secret"),
                "{\"A\":10,\"B\":20}".getBytes(StandardCharsets.UTF_8));
        get(c.send(req));

        Message received = server.nextMessage(TIMEOUT);
        assertEquals(req, received);
        Message reply = client.nextMessage(TIMEOUT);
        assertTrue(reply.isResponse());
        assertEquals(7, reply.seq());
        assertEquals("Arith", reply.servicePath());
        assertEquals("Mul", reply.serviceMethod());
        assertEquals(SerializeType.JSON, reply.serializeType());
        assertEquals(req.metadata(), reply.metadata());
        assertArrayEquals(req.payload(), reply.payload());
        assertTrue(c.isOpen());
        assertNotNull(c.remoteAddress());
        assertNotNull(c.localAddress());
    }

    /** Open and close are reported exactly once on each side; closeFuture completes; isOpen turns false. */
    @Test
    public void reportsOpenAndCloseOnceOnBothSides() {
        RecordingHandler server = RecordingHandler.echo();
        Listener listener = listen(server);
        RecordingHandler client = new RecordingHandler();
        Connection c = connect(listener, client);
        Connection accepted = server.nextOpen(TIMEOUT);
        assertSame(c, client.nextOpen(TIMEOUT));

        c.close();
        c.close();
        get(c.closeFuture());
        assertFalse(c.isOpen());
        assertSame(accepted, server.nextClose(TIMEOUT));
        get(accepted.closeFuture());
        assertFalse(accepted.isOpen());
        assertSame(c, client.nextClose(TIMEOUT));
        assertEquals(List.of(RecordingHandler.Kind.OPEN, RecordingHandler.Kind.CLOSE), client.kinds(c));
        assertEquals(List.of(RecordingHandler.Kind.OPEN, RecordingHandler.Kind.CLOSE), server.kinds(accepted));
    }

    private static void assertSame(Connection expected, Connection actual) {
        if (expected != actual) {
            fail("expected connection " + expected + " but the handler was called with " + actual);
        }
    }

    /**
     * 10,000 calls in flight at once on one connection, sent from four threads, are all delivered and answered,
     * each with its own reply.
     *
     * @throws Exception if the test cannot do its I/O
     */
    @Test
    public void deliversTenThousandConcurrentFramesOnOneConnection() throws Exception {
        RecordingHandler server = RecordingHandler.echo();
        Listener listener = listen(server);
        RecordingHandler client = new RecordingHandler();
        Connection c = connect(listener, client);
        int threads = 4;
        int perThread = 2_500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<CompletableFuture<Void>>>> sends = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                sends.add(pool.submit(() -> {
                    List<CompletableFuture<Void>> fs = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        byte[] payload = new byte[1 + (base + i) % 300];
                        Arrays.fill(payload, (byte) i);
                        fs.add(c.send(request(base + i, payload)));
                    }
                    return fs;
                }));
            }
            for (Future<List<CompletableFuture<Void>>> f : sends) {
                for (CompletableFuture<Void> written : f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    get(written);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Set<Long> seqs = new HashSet<>();
        for (int i = 0; i < threads * perThread; i++) {
            Message reply = client.nextMessage(TIMEOUT);
            assertEquals(1 + reply.seq() % 300, reply.payloadLength());
            seqs.add(reply.seq());
        }
        assertEquals(threads * perThread, seqs.size());
        assertEquals(threads * perThread, server.count(RecordingHandler.Kind.MESSAGE));
        assertEquals(0, server.count(RecordingHandler.Kind.ERROR));
    }

    private static Message sized(long seq, int totalLen) {
        Message empty = Message.request(seq, "Big", "Frame", SerializeType.NONE, Map.of(), new byte[0]);
        int payload = totalLen - FrameCodec.prepare(empty).totalLength();
        byte[] bytes = new byte[payload];
        new Random(seq).nextBytes(bytes);
        return empty.withPayload(bytes);
    }

    /** A frame whose totalLen is exactly the maximum is delivered intact (and its echo comes back). */
    @Test
    public void deliversFrameOfMaximumSize() {
        RecordingHandler server = RecordingHandler.echo();
        Listener listener = listen(server);
        RecordingHandler client = new RecordingHandler();
        Connection c = connect(listener, client);
        Message big = sized(99, maxMessageLength());
        assertEquals(maxMessageLength(), FrameCodec.prepare(big).totalLength());
        get(c.send(big));
        assertEquals(big, server.nextMessage(TIMEOUT));
        Message reply = client.nextMessage(TIMEOUT);
        assertArrayEquals(big.payload(), reply.payload());
        assertEquals(0, server.count(RecordingHandler.Kind.ERROR));
    }

    /**
     * A frame one byte over the maximum is rejected with FrameTooLargeException in onError, before the close,
     * and that connection is closed; the listener still serves new connections.
     */
    @Test
    public void rejectsFrameOverMaximumAndKeepsListening() {
        RecordingHandler server = RecordingHandler.echo();
        Listener listener = listen(server);
        RecordingHandler client = new RecordingHandler();
        Connection c = connect(listener, client);
        c.send(sized(100, maxMessageLength() + 1));

        Throwable error = server.nextError(TIMEOUT);
        FrameTooLargeException tooLarge = assertInstanceOf(FrameTooLargeException.class, error);
        assertEquals(maxMessageLength() + 1L, tooLarge.declaredLength());
        Connection accepted = server.nextClose(TIMEOUT);
        assertEquals(List.of(RecordingHandler.Kind.OPEN, RecordingHandler.Kind.ERROR, RecordingHandler.Kind.CLOSE),
                server.kinds(accepted));
        get(c.closeFuture());
        assertEquals(0, server.count(RecordingHandler.Kind.MESSAGE));
        assertServes(listener);
    }

    /** The server can send to the client on its own (a push), not only answer. */
    @Test
    public void serverCanPushToClient() {
        Message push = Message.request(1, "Push", "Notify", SerializeType.NONE, Map.of(), "hi".getBytes(StandardCharsets.UTF_8))
                .withOneway(true);
        RecordingHandler server = new RecordingHandler() {
            @Override
            public void onOpen(Connection connection) {
                super.onOpen(connection);
                connection.send(push);
            }
        };
        Listener listener = listen(server);
        RecordingHandler client = new RecordingHandler();
        connect(listener, client);
        assertEquals(push, client.nextMessage(TIMEOUT));
    }

    /** Sending on a closed connection fails with a TransportException and does not throw. */
    @Test
    public void sendOnClosedConnectionFails() {
        Listener listener = listen(RecordingHandler.echo());
        RecordingHandler client = new RecordingHandler();
        Connection c = connect(listener, client);
        c.close();
        get(c.closeFuture());
        assertInstanceOf(TransportException.class, failure(c.send(request(1, new byte[1]))));
    }

    /** After stopAccepting, accepted connections keep working and new connections are refused. */
    @Test
    public void stopAcceptingKeepsAcceptedConnections() {
        RecordingHandler server = RecordingHandler.echo();
        Listener listener = listen(server);
        String address = dialAddress(listener);
        RecordingHandler client = new RecordingHandler();
        Connection c = connect(listener, client);
        // accepted means the server has it: a connection still in the kernel's backlog is reset with the listener
        assertNotNull(server.nextOpen(TIMEOUT), "the server never accepted the connection");
        get(listener.stopAccepting());

        get(c.send(request(5, new byte[] {1})));
        assertEquals(5, client.nextMessage(TIMEOUT).seq());
        Throwable refused = failure(transport(clientConfig()).connect(network(), address, new RecordingHandler()));
        assertInstanceOf(TransportException.class, refused);
    }

    /** Closing a transport closes its listeners and connections; the peers see the close. */
    @Test
    public void closingTransportClosesItsConnections() {
        RecordingHandler server = RecordingHandler.echo();
        Transport serverTransport = transport(serverConfig());
        Listener listener = get(serverTransport.listen(network(), listenAddress(), server));
        RecordingHandler client = new RecordingHandler();
        Connection c = connect(listener, client);
        Connection accepted = server.nextOpen(TIMEOUT);

        serverTransport.close();
        get(accepted.closeFuture());
        get(c.closeFuture());
        assertFalse(c.isOpen());
        server.nextClose(TIMEOUT);
        client.nextClose(TIMEOUT);
    }

    /**
     * With a read idle timeout, a connection that receives nothing for that long is closed by the server with a
     * {@link TransportException} (its peer sees the close), while one that keeps receiving stays open.
     *
     * @throws Exception if the test cannot do its I/O
     */
    @Test
    public void readIdleTimeoutClosesOnlyIdleConnections() throws Exception {
        Duration idle = Duration.ofMillis(500);
        RecordingHandler server = RecordingHandler.echo();
        Listener listener = get(transport(serverConfig().withReadIdleTimeout(idle)).listen(network(), listenAddress(), server));
        RecordingHandler busyClient = new RecordingHandler();
        Connection busy = connect(listener, busyClient);
        Connection quiet = connect(listener, new RecordingHandler());
        for (int i = 0; i < 8; i++) { // busy for 8 x 100 ms, longer than the idle timeout
            get(busy.send(request(100 + i, new byte[] {1})));
            assertEquals(100 + i, busyClient.nextMessage(TIMEOUT).seq());
            Thread.sleep(100);
        }
        get(quiet.closeFuture());
        assertInstanceOf(TransportException.class, server.nextError(TIMEOUT));
        assertTrue(busy.isOpen(), "a connection that keeps receiving stays open");
        assertEquals(0, busyClient.count(RecordingHandler.Kind.CLOSE));
        get(busy.closeFuture()); // idle at last: closed too
    }

    /**
     * A peer that sends a whole frame and then closes its sending side (a half-close, TCP's FIN) gets that frame
     * delivered, then its connection closed and reported once, as Go's server ends a connection at end of input.
     *
     * @throws IOException if the test cannot do its I/O
     */
    @Test
    public void halfClosedPeerHasItsFrameDeliveredThenItsConnectionClosed() throws IOException {
        RecordingHandler server = RecordingHandler.echo();
        Listener listener = listen(server);
        try (RawStream raw = openRawStream(listener)) {
            raw.write(validFrame(6));
            raw.shutdownOutput();
            assertEquals(6, server.nextMessage(TIMEOUT).seq());
            Connection closed = server.nextClose(TIMEOUT);
            assertEquals(List.of(RecordingHandler.Kind.OPEN, RecordingHandler.Kind.MESSAGE, RecordingHandler.Kind.CLOSE),
                    server.kinds(closed));
            assertTrue(raw.awaitClosed(TIMEOUT), "the server closes its side too");
        }
        assertServes(listener);
    }

    /**
     * Bytes that are not rpcx (an HTTP request) are a ProtocolException; the connection is closed.
     *
     * @throws IOException if the test cannot do its I/O
     */
    @Test
    public void garbageBytesAreAProtocolError() throws IOException {
        RecordingHandler server = RecordingHandler.echo();
        Listener listener = listen(server);
        try (RawStream raw = openRawStream(listener)) {
            raw.write("GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertInstanceOf(ProtocolException.class, server.nextError(TIMEOUT));
            assertTrue(raw.awaitClosed(TIMEOUT), "the connection must be closed");
        }
        assertEquals(0, server.count(RecordingHandler.Kind.MESSAGE));
        assertServes(listener);
    }

    /**
     * A frame with a wrong magic number is a ProtocolException; the connection is closed.
     *
     * @throws IOException if the test cannot do its I/O
     */
    @Test
    public void wrongMagicIsAProtocolError() throws IOException {
        RecordingHandler server = RecordingHandler.echo();
        Listener listener = listen(server);
        try (RawStream raw = openRawStream(listener)) {
            byte[] frame = validFrame(1);
            frame[0] = 0x09;
            raw.write(frame);
            assertInstanceOf(ProtocolException.class, server.nextError(TIMEOUT));
            assertTrue(raw.awaitClosed(TIMEOUT), "the connection must be closed");
        }
        assertEquals(0, server.count(RecordingHandler.Kind.MESSAGE));
        assertServes(listener);
    }

    /**
     * A peer that closes in the middle of a frame: no message, the close is reported once.
     *
     * @throws IOException if the test cannot do its I/O
     */
    @Test
    public void peerClosingMidFrameDeliversNothing() throws IOException {
        RecordingHandler server = RecordingHandler.echo();
        Listener listener = listen(server);
        byte[] frame = validFrame(2);
        try (RawStream raw = openRawStream(listener)) {
            raw.write(Arrays.copyOf(frame, frame.length - 10));
        }
        Connection closed = server.nextClose(TIMEOUT);
        assertEquals(0, server.count(RecordingHandler.Kind.MESSAGE));
        assertEquals(1, server.events(closed).stream().filter(e -> e.kind() == RecordingHandler.Kind.CLOSE).count());
        assertServes(listener);
    }

    /**
     * A frame that was begun and not finished within the frame timeout gets its connection closed (slow-loris
     * guard), with an error reported; a connection idle between frames is left alone.
     *
     * @throws Exception if the test cannot do its I/O
     */
    @Test
    public void stalledHalfFrameIsClosedAfterFrameTimeout() throws Exception {
        RecordingHandler server = RecordingHandler.echo();
        Listener listener = listen(server);
        try (RawStream idle = openRawStream(listener); RawStream stalled = openRawStream(listener)) {
            idle.write(validFrame(3));
            assertEquals(3, FrameCodec.decode(java.nio.ByteBuffer.wrap(idle.readFrame(TIMEOUT)), FrameLimits.DEFAULT).seq());

            stalled.write(Arrays.copyOf(validFrame(4), 20));
            assertTrue(stalled.awaitClosed(TIMEOUT), "a stalled frame must get its connection closed");
            assertNotNull(server.nextError(TIMEOUT));

            assertFalse(idle.awaitClosed(frameTimeout().multipliedBy(3)), "an idle connection between frames stays open");
            idle.write(validFrame(5));
            assertEquals(5, FrameCodec.decode(java.nio.ByteBuffer.wrap(idle.readFrame(TIMEOUT)), FrameLimits.DEFAULT).seq());
        } catch (TimeoutException e) {
            fail(e);
        }
    }
}
