package rpcx.transport.kcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import rpcx.api.TransportException;
import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.ProtocolException;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Connection;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.testkit.RecordingHandler;

/**
 * The byte-level cases of the conformance suite, through a KCP session that carries arbitrary bytes (a peer that
 * speaks KCP but not rpcx), and the idle timeout.
 */
class KcpStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final Transport server = new KcpTransportProvider().create(KcpTests.kcp(new TransportConfig(
            FrameLimits.DEFAULT, Duration.ZERO, Duration.ZERO, Duration.ofMillis(300), Duration.ofSeconds(5), 1)));
    private final Transport client = new KcpTransportProvider().create(KcpTests.kcp(TransportConfig.DEFAULT));

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    private static byte[] frame(long seq) {
        return FrameCodec.encode(Message.request(seq, "Arith", "Mul", SerializeType.MSGPACK, Map.of(),
                new byte[] {(byte) 0x82, (byte) 0xa1, 0x41, 0x0a, (byte) 0xa1, 0x42, 0x14}));
    }

    private KcpSession dial(Listener listener, RecordingHandler handler) throws Exception {
        String address = "127.0.0.1:" + ((java.net.InetSocketAddress) listener.localAddress()).getPort();
        return (KcpSession) client.connect("kcp", address, handler).get(10, TimeUnit.SECONDS);
    }

    @Test
    void garbageIsAProtocolErrorAndClosesTheSession() throws Exception {
        RecordingHandler handler = RecordingHandler.echo();
        Listener listener = server.listen("kcp", "127.0.0.1:0", handler).get(5, TimeUnit.SECONDS);
        RecordingHandler peer = new RecordingHandler();
        KcpSession raw = dial(listener, peer);
        raw.sendRaw("GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertInstanceOf(ProtocolException.class, handler.nextError(WAIT));
        handler.nextClose(WAIT);
        raw.closeFuture().get(10, TimeUnit.SECONDS); // the close notice reached the peer
        assertEquals(0, handler.count(RecordingHandler.Kind.MESSAGE));
        assertServes(listener);
    }

    @Test
    void wrongMagicIsAProtocolError() throws Exception {
        RecordingHandler handler = RecordingHandler.echo();
        Listener listener = server.listen("kcp", "127.0.0.1:0", handler).get(5, TimeUnit.SECONDS);
        KcpSession raw = dial(listener, new RecordingHandler());
        byte[] bad = frame(1);
        bad[0] = 0x09;
        raw.sendRaw(bad);
        assertInstanceOf(ProtocolException.class, handler.nextError(WAIT));
        raw.closeFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void peerClosingMidFrameDeliversNothing() throws Exception {
        RecordingHandler handler = RecordingHandler.echo();
        Listener listener = server.listen("kcp", "127.0.0.1:0", handler).get(5, TimeUnit.SECONDS);
        KcpSession raw = dial(listener, new RecordingHandler());
        byte[] f = frame(2);
        raw.sendRaw(Arrays.copyOf(f, f.length - 10));
        raw.close();
        Connection closed = handler.nextClose(WAIT);
        assertEquals(0, handler.count(RecordingHandler.Kind.MESSAGE));
        assertEquals(1, handler.events(closed).stream().filter(e -> e.kind() == RecordingHandler.Kind.CLOSE).count());
        assertServes(listener);
    }

    @Test
    void stalledHalfFrameIsClosedAfterTheFrameTimeoutAndAnIdleSessionIsNot() throws Exception {
        RecordingHandler handler = RecordingHandler.echo();
        Listener listener = server.listen("kcp", "127.0.0.1:0", handler).get(5, TimeUnit.SECONDS);
        RecordingHandler idlePeer = new RecordingHandler();
        KcpSession idle = dial(listener, idlePeer);
        KcpSession stalled = dial(listener, new RecordingHandler());
        idle.sendRaw(frame(3));
        assertEquals(3, idlePeer.nextMessage(WAIT).seq());
        stalled.sendRaw(Arrays.copyOf(frame(4), 20));
        Throwable error = handler.nextError(WAIT);
        assertInstanceOf(TransportException.class, error);
        assertTrue(error.getMessage().contains("did not finish"), error.getMessage());
        stalled.closeFuture().get(10, TimeUnit.SECONDS);
        Thread.sleep(900); // three frame timeouts
        assertTrue(idle.isOpen(), "a session idle between frames stays open");
        idle.sendRaw(frame(5));
        assertEquals(5, idlePeer.nextMessage(WAIT).seq());
    }

    /** With a read idle timeout, a session that hears nothing for that long is closed (both sides learn of it). */
    @Test
    void idleTimeoutClosesASilentSession() throws Exception {
        try (Transport idleServer = new KcpTransportProvider().create(KcpTests.kcp(new TransportConfig(FrameLimits.DEFAULT,
                Duration.ofMillis(300), Duration.ZERO, Duration.ZERO, Duration.ofSeconds(5), 1)))) {
            RecordingHandler handler = RecordingHandler.echo();
            Listener listener = idleServer.listen("kcp", "127.0.0.1:0", handler).get(5, TimeUnit.SECONDS);
            KcpSession c = dial(listener, new RecordingHandler());
            handler.nextOpen(WAIT);
            Throwable error = handler.nextError(WAIT);
            assertTrue(error.getMessage().contains("idle timeout"), error.getMessage());
            c.closeFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private void assertServes(Listener listener) throws Exception {
        RecordingHandler peer = new RecordingHandler();
        KcpSession c = dial(listener, peer);
        c.send(Message.request(4242, "Arith", "Mul", SerializeType.MSGPACK, Map.of(), new byte[] {1})).get(5, TimeUnit.SECONDS);
        assertEquals(4242, peer.nextMessage(WAIT).seq());
        c.close();
    }
}
