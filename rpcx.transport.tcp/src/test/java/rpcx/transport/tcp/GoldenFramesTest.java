package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Connection;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.testkit.RawPeer;
import rpcx.testkit.RecordingHandler;

/**
 * Frames produced by Go rpcx (shared/spec/golden-frames.txt, read through rpcx.testkit.GoldenFrames) sent and
 * received over real sockets, in both directions, byte for byte.
 */
class GoldenFramesTest {
    private static final HexFormat HEX = HexFormat.of();

    /** A golden frame and the comment line before it. */
    record Golden(String label, String hex, Message message) {
        byte[] bytes() {
            return HEX.parseHex(hex);
        }
    }

    /** A golden request and the golden response Go sent for it. */
    record Pair(Golden request, Golden response) {
    }

    private static List<Golden> frames;
    private static List<Pair> pairs;

    private final List<Transport> transports = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        frames = new ArrayList<>();
        for (rpcx.testkit.GoldenFrames.Frame f : rpcx.testkit.GoldenFrames.all()) {
            frames.add(new Golden(f.label(), f.hex(), f.message()));
        }
        pairs = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            Golden f = frames.get(i);
            if (!f.message().isResponse()) {
                continue;
            }
            for (int j = i - 1; j >= 0; j--) {
                Message q = frames.get(j).message();
                if (!q.isResponse() && q.seq() == f.message().seq() && q.servicePath().equals(f.message().servicePath())
                        && q.serviceMethod().equals(f.message().serviceMethod())) {
                    pairs.add(new Pair(frames.get(j), f));
                    break;
                }
            }
        }
        assertTrue(frames.size() >= 20, "golden frames: " + frames.size());
        assertTrue(pairs.size() >= 10, "golden request/response pairs: " + pairs.size());
    }

    @AfterEach
    void close() {
        transports.forEach(Transport::close);
    }

    private Transport transport(TransportConfig config) {
        Transport t = new EpollTcpTransportProvider().isAvailable()
                ? new EpollTcpTransportProvider().create(config) : new NioTcpTransportProvider().create(config);
        transports.add(t);
        return t;
    }

    /** What a Go server answers to a request, given the reply Go actually sent (metadata, payload, status). */
    private static Message answer(Message request) {
        if (request.isHeartbeat()) {
            return request.withResponse(true); // Go echoes heartbeats verbatim with the response bit
        }
        for (Pair p : pairs) {
            if (p.request().message().equals(request)) {
                Message golden = p.response().message();
                return request.toResponse().withMetadata(golden.metadata()).withPayload(golden.payload()).withError(golden.isError());
            }
        }
        return null;
    }

    @Test
    void goldenFramesWrittenRawArriveAsTheRightMessages() throws Exception {
        RecordingHandler server = new RecordingHandler();
        Listener listener = transport(TransportConfig.DEFAULT).listen("tcp", "127.0.0.1:0", server).join();
        try (RawPeer raw = RawPeer.connect(listener.localAddress())) {
            // all frames back to back in one write: the decoder must split them
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (Golden g : frames) {
                all.write(g.bytes());
            }
            raw.write(all.toByteArray());
            for (Golden g : frames) {
                Message m = server.nextMessage(TcpTests.TIMEOUT);
                assertEquals(g.message(), m, g.label());
                assertArrayEquals(g.bytes(), FrameCodec.encode(m), g.label());
            }
        }
        assertEquals(0, server.count(RecordingHandler.Kind.ERROR));

        Message mul = frames.get(0).message();
        assertFalse(mul.isResponse());
        assertEquals(0, mul.seq());
        assertEquals("Arith", mul.servicePath());
        assertEquals("Mul", mul.serviceMethod());
        assertEquals(SerializeType.MSGPACK, mul.serializeType());
        assertEquals(Map.of(), mul.metadata());
        assertEquals("82a1410aa14214", HEX.formatHex(mul.payload()));

        Message withAuth = find("seq=12345", false);
        assertEquals(12345, withAuth.seq());
        assertEquals(Map.of("auth", "token123"), withAuth.metadata());

        Message heartbeat = find("request  heartbeat", false);
        assertTrue(heartbeat.isHeartbeat());
        assertEquals(7, heartbeat.seq());
        assertEquals("d317979cfe362a0000", HEX.formatHex(heartbeat.payload()));

        Message deadline = find("deadline metadata", false);
        assertEquals(Map.of("__ServerTimeout", "4999"), deadline.metadata());

        Message divError = find("response Arith.Div", true);
        assertTrue(divError.isError());
        assertEquals("divide by zero", divError.errorMessage());
    }

    private static Message find(String labelPart, boolean response) {
        return frames.stream().filter(g -> g.label().contains(labelPart) && g.message().isResponse() == response)
                .findFirst().orElseThrow(() -> new AssertionError("no golden frame labelled " + labelPart)).message();
    }

    @Test
    void serverRepliesAreByteIdenticalToGoResponses() throws Exception {
        Listener listener = transport(TransportConfig.DEFAULT)
                .listen("tcp", "127.0.0.1:0", new RecordingHandler(GoldenFramesTest::answer)).join();
        try (RawPeer raw = RawPeer.connect(listener.localAddress())) {
            for (Pair p : pairs) {
                raw.write(p.request().bytes());
                byte[] reply = raw.readFrame(TcpTests.TIMEOUT);
                assertEquals(p.response().hex(), HEX.formatHex(reply), p.response().label());
            }
        }
    }

    @Test
    void clientWritesGoRequestsAndReadsGoResponses() throws Exception {
        try (ServerSocket goServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            RecordingHandler client = new RecordingHandler();
            CompletableFuture<Connection> dialled = transport(TransportConfig.DEFAULT)
                    .connect("tcp", "127.0.0.1:" + goServer.getLocalPort(), client);
            try (Socket s = goServer.accept()) {
                s.setSoTimeout((int) TcpTests.TIMEOUT.toMillis());
                Connection c = dialled.join();
                assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), goServer.getLocalPort()), c.remoteAddress());
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                for (Pair p : pairs) {
                    c.send(p.request().message()).join();
                    byte[] prefix = new byte[16];
                    in.readFully(prefix);
                    byte[] body = new byte[ByteBuffer.wrap(prefix).getInt(12)];
                    in.readFully(body);
                    assertEquals(p.request().hex(), HEX.formatHex(prefix) + HEX.formatHex(body), p.request().label());
                    out.write(p.response().bytes());
                    out.flush();
                    assertEquals(p.response().message(), client.nextMessage(TcpTests.TIMEOUT), p.response().label());
                }
            }
        }
    }
}
