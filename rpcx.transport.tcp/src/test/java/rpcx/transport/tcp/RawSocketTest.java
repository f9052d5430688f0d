package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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
import rpcx.api.spi.TransportProvider;
import rpcx.testkit.RawPeer;
import rpcx.testkit.RecordingHandler;

/**
 * Malformed and hostile byte streams written with a plain socket. Each bad connection must be refused on its own
 * (error reported, connection closed) while a healthy client on the same listener keeps getting answers.
 */
class RawSocketTest {
    private static final Duration TIMEOUT = TcpTests.TIMEOUT;

    private Transport server;
    private Transport client;
    private RecordingHandler serverHandler;
    private Listener listener;
    private Connection healthy;
    private RecordingHandler healthyHandler;
    private long nextSeq = 1000;

    static List<TransportProvider> providers() {
        return TcpTests.providers();
    }

    /** Starts a server (64 KiB frames) with the given frame timeout and a healthy client on it. */
    private void start(TransportProvider provider, Duration frameTimeout) {
        server = provider.create(TcpTests.server(frameTimeout));
        client = provider.create(TcpTests.client());
        serverHandler = RecordingHandler.echo();
        listener = server.listen("tcp", "127.0.0.1:0", serverHandler).join();
        healthyHandler = new RecordingHandler();
        healthy = client.connect("tcp", "127.0.0.1:" + port(), healthyHandler).join();
        assertHealthy();
    }

    private int port() {
        return ((java.net.InetSocketAddress) listener.localAddress()).getPort();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void assertHealthy() {
        long seq = nextSeq++;
        healthy.send(Message.request(seq, "Arith", "Mul", SerializeType.MSGPACK, Map.of(), new byte[] {1, 2, 3})).join();
        Message reply = healthyHandler.nextMessage(TIMEOUT);
        assertEquals(seq, reply.seq());
        assertTrue(healthy.isOpen());
    }

    private RawPeer raw() throws IOException {
        return RawPeer.connect(listener.localAddress());
    }

    /** Sends bytes, expects the server to report an error of the given type and close that connection. */
    private <T extends Throwable> T expectRejected(byte[] bytes, Class<T> errorType) throws IOException {
        try (RawPeer raw = raw()) {
            raw.write(bytes);
            Throwable error = serverHandler.nextError(TIMEOUT);
            assertTrue(raw.awaitClosed(TIMEOUT), "the server must close the offending connection");
            T typed = assertInstanceOf(errorType, error);
            Connection bad = serverHandler.nextClose(TIMEOUT);
            assertEquals(List.of(RecordingHandler.Kind.OPEN, RecordingHandler.Kind.ERROR, RecordingHandler.Kind.CLOSE),
                    serverHandler.kinds(bad));
            return typed;
        } finally {
            assertHealthy();
        }
    }

    private static byte[] prefix(int flagsA, long seq, long totalLen) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.put(Message.MAGIC).put((byte) 0).put((byte) flagsA).put((byte) 0x30).putLong(seq).putInt((int) totalLen);
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    private static byte[] validFrame(long seq) {
        return FrameCodec.encode(Message.request(seq, "Arith", "Mul", SerializeType.MSGPACK, Map.of("k", "v"),
                new byte[] {(byte) 0x82, (byte) 0xa1, 0x41, 0x0a, (byte) 0xa1, 0x42, 0x14}));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void truncatedHeaderThenClose(TransportProvider provider) throws IOException {
        start(provider, Duration.ofSeconds(30));
        try (RawPeer raw = raw()) {
            raw.write(Arrays.copyOf(validFrame(1), 10));
        }
        Connection closed = serverHandler.nextClose(TIMEOUT);
        assertEquals(List.of(RecordingHandler.Kind.OPEN, RecordingHandler.Kind.ERROR, RecordingHandler.Kind.CLOSE),
                serverHandler.kinds(closed));
        assertInstanceOf(ProtocolException.class, serverHandler.nextError(TIMEOUT));
        assertEquals(0, serverHandler.count(RecordingHandler.Kind.MESSAGE) - (nextSeq - 1000));
        assertHealthy();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void wrongMagicIsRefusedAtTheFirstByte(TransportProvider provider) throws IOException {
        start(provider, Duration.ZERO); // no frame timeout: only the magic check can close it
        ProtocolException e = expectRejected(new byte[] {0x47}, ProtocolException.class);
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void hugeTotalLenIsRejectedAfterTheSixteenBytePrefix(TransportProvider provider) throws IOException {
        start(provider, Duration.ZERO); // no frame timeout: the prefix check alone must close it, with no body sent
        FrameTooLargeException e = expectRejected(prefix(0, 1, 0x7FFFFFFFL), FrameTooLargeException.class);
        assertEquals(0x7FFFFFFFL, e.declaredLength());
        FrameTooLargeException unsigned = expectRejected(prefix(0, 2, 0xFFFFFFFFL), FrameTooLargeException.class);
        assertEquals(0xFFFFFFFFL, unsigned.declaredLength());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void totalLenTooSmallForFourSections(TransportProvider provider) throws IOException {
        start(provider, Duration.ZERO);
        expectRejected(concat(prefix(0, 1, 5), new byte[5]), ProtocolException.class);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void sectionLengthsBeyondTotalLen(TransportProvider provider) throws IOException {
        start(provider, Duration.ofSeconds(30));
        // servicePathLen 1000 inside a 16-byte body
        byte[] body = ByteBuffer.allocate(16).putInt(1000).putInt(0).putInt(0).putInt(0).array();
        ProtocolException e = expectRejected(concat(prefix(0, 1, 16), body), ProtocolException.class);
        assertTrue(e.getMessage().contains("servicePath"), e.getMessage());
        // metadataLen 0x7FFFFFF0 inside a 16-byte body
        byte[] meta = ByteBuffer.allocate(16).putInt(0).putInt(0).putInt(0x7FFFFFF0).putInt(0).array();
        expectRejected(concat(prefix(0, 2, 16), meta), ProtocolException.class);
        // payloadLen larger than what is left
        byte[] payload = ByteBuffer.allocate(16).putInt(0).putInt(0).putInt(0).putInt(100).array();
        expectRejected(concat(prefix(0, 3, 16), payload), ProtocolException.class);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void hugeMetadataCounts(TransportProvider provider) throws IOException {
        start(provider, Duration.ofSeconds(30));
        int entries = FrameLimits.DEFAULT_MAX_METADATA_ENTRIES + 1;
        ByteBuffer body = ByteBuffer.allocate(16 + entries * 8);
        body.putInt(0).putInt(0).putInt(entries * 8);
        for (int i = 0; i < entries; i++) {
            body.putInt(0).putInt(0); // an empty key and an empty value, 8 bytes per entry
        }
        body.putInt(0);
        ProtocolException e = expectRejected(concat(prefix(0, 1, body.capacity()), body.array()), ProtocolException.class);
        assertTrue(e.getMessage().contains("metadata"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void garbageBytes(TransportProvider provider) throws IOException {
        start(provider, Duration.ofSeconds(30));
        byte[] garbage = new byte[4096];
        new java.util.Random(42).nextBytes(garbage);
        garbage[0] = 0x7f;
        expectRejected(garbage, ProtocolException.class);
        // magic right, the rest noise: rejected by the prefix or section checks
        garbage[0] = Message.MAGIC;
        expectRejected(garbage, ProtocolException.class);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void peerStallingMidFrameIsClosedAfterFrameTimeout(TransportProvider provider) throws Exception {
        start(provider, Duration.ofMillis(300));
        try (RawPeer inHeader = raw(); RawPeer inBody = raw()) {
            inHeader.write(Arrays.copyOf(validFrame(1), 8));
            byte[] frame = validFrame(2);
            inBody.write(Arrays.copyOf(frame, frame.length - 1));
            assertTrue(inHeader.awaitClosed(TIMEOUT), "stalled in the header");
            assertTrue(inBody.awaitClosed(TIMEOUT), "stalled in the body");
            assertInstanceOf(TransportException.class, serverHandler.nextError(TIMEOUT));
            assertInstanceOf(TransportException.class, serverHandler.nextError(TIMEOUT));
        }
        assertHealthy();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void framesSplitAnywhereAndBatchedAreDecoded(TransportProvider provider) throws Exception {
        start(provider, Duration.ofSeconds(30));
        try (RawPeer raw = raw()) {
            byte[] one = validFrame(1);
            for (byte b : one) {
                raw.write(new byte[] {b});
            }
            raw.write(concat(validFrame(2), validFrame(3), Arrays.copyOf(validFrame(4), 20)));
            raw.write(Arrays.copyOfRange(validFrame(4), 20, one.length));
            for (long seq = 1; seq <= 4; seq++) {
                Message reply = FrameCodec.decode(ByteBuffer.wrap(raw.readFrame(TIMEOUT)), FrameLimits.DEFAULT);
                assertEquals(seq, reply.seq());
                assertEquals(Map.of("k", "v"), reply.metadata());
            }
        }
        assertEquals(0, serverHandler.count(RecordingHandler.Kind.ERROR));
    }
}
