package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import rpcx.api.TransportException;
import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.testkit.GoldenFrames;
import rpcx.testkit.RawPeer;
import rpcx.testkit.RecordingHandler;

/**
 * rpcx inside HTTP as Go carries it at {@code /_rpcx_}: the CONNECT exchange byte for byte, Go's 405, a dial to a
 * server that does not answer {@code 200 Connected to rpcx}, and a WebSocket client that is not ours (the JDK's)
 * exchanging one whole rpcx message per binary frame.
 */
class TunnelsTest {
    private final List<Transport> transports = new java.util.ArrayList<>();

    @AfterEach
    void close() {
        transports.forEach(Transport::close);
    }

    private Listener listen(String network) throws Exception {
        Transport t = new NioTcpTransportProvider().create(TcpTests.server(Duration.ofSeconds(2)));
        transports.add(t);
        return t.listen(network, "127.0.0.1:0", RecordingHandler.echo()).get(10, TimeUnit.SECONDS);
    }

    private static int port(Listener l) {
        return ((java.net.InetSocketAddress) l.localAddress()).getPort();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void goConnectIsAnsweredWithGosBytesAndTheStreamThenCarriesFrames() throws Exception {
        Listener l = listen("http");
        GoldenFrames.Frame request = GoldenFrames.find("Arith.Mul");
        try (RawPeer peer = RawPeer.connect(l.localAddress())) {
            // Go's client writes exactly this, bare newlines included; the first frame may follow at once
            peer.write(concat("CONNECT /_rpcx_ HTTP/1.0\n\n".getBytes(StandardCharsets.US_ASCII), request.bytes()));
            assertEquals("HTTP/1.0 200 Connected to rpcx\n\n",
                    new String(peer.read(32, TcpTests.TIMEOUT), StandardCharsets.US_ASCII));
            Message reply = FrameCodec.decode(ByteBuffer.wrap(peer.readFrame(TcpTests.TIMEOUT)), FrameLimits.DEFAULT);
            assertEquals(request.message().seq(), reply.seq());
            assertTrue(reply.isResponse());
            assertArrayEquals(request.message().payload(), reply.payload(), "the echo server's reply");
        }
    }

    @Test
    void aRequestAtTheRpcxPathThatIsNeitherConnectNorAWebSocketGetsGos405() throws Exception {
        Listener l = listen("http");
        try (RawPeer peer = RawPeer.connect(l.localAddress())) {
            peer.write("GET /_rpcx_ HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(peer.awaitClosed(TcpTests.TIMEOUT), "closed after the answer");
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port(l))) {
            s.getOutputStream().write("GET /_rpcx_ HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 405 Method Not Allowed\r\n"), answer);
            assertTrue(answer.contains("content-type: text/plain; charset=utf-8\r\n"), answer);
            assertTrue(answer.endsWith("\r\n\r\n405 must CONNECT\n"), answer);
        }
    }

    @Test
    void aConnectHeadThatNeverEndsIsCutOffAndTheListenerGoesOn() throws Exception {
        Listener l = listen("http");
        try (RawPeer endless = RawPeer.connect(l.localAddress()); RawPeer stalled = RawPeer.connect(l.localAddress())) {
            endless.write(("CONNECT /_rpcx_ HTTP/1.0\nX: " + "y".repeat(Tunnels.MAX_HEAD) + "\n").getBytes(StandardCharsets.US_ASCII));
            assertTrue(endless.awaitClosed(TcpTests.TIMEOUT), "a head over " + Tunnels.MAX_HEAD + " bytes closes the connection");
            stalled.write("CONNECT /_rpcx_ HTTP/1.0\n".getBytes(StandardCharsets.US_ASCII)); // and then nothing
            assertTrue(stalled.awaitClosed(TcpTests.TIMEOUT), "an unfinished head is closed after the frame timeout");
        }
        try (RawPeer peer = RawPeer.connect(l.localAddress())) {
            peer.write("CONNECT /_rpcx_ HTTP/1.0\n\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.0 200 Connected to rpcx\n\n", new String(peer.read(32, TcpTests.TIMEOUT), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aDialFailsWithGosMessageWhenTheServerDoesNotAnswerConnected() throws Exception {
        try (ServerSocket notRpcx = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> asked = CompletableFuture.supplyAsync(() -> {
                try (Socket s = notRpcx.accept()) {
                    InputStream in = s.getInputStream();
                    ByteArrayOutputStream head = new ByteArrayOutputStream();
                    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\n\n")) {
                        head.write(in.read());
                    }
                    s.getOutputStream().write("HTTP/1.0 404 Not Found\n\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    in.read(); // until the client closes
                    return head.toString(StandardCharsets.US_ASCII);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Transport t = new NioTcpTransportProvider().create(TcpTests.client());
            transports.add(t);
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> t.connect("http", "127.0.0.1:" + notRpcx.getLocalPort(), new RecordingHandler()).get(10, TimeUnit.SECONDS));
            assertInstanceOf(TransportException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("unexpected HTTP response: 404 Not Found"), e.getCause().getMessage());
            assertEquals("CONNECT /_rpcx_ HTTP/1.0\n\n", asked.get(10, TimeUnit.SECONDS), "what Go's client sends");
        }
    }

    @Test
    void anotherWebSocketClientExchangesOneWholeMessagePerBinaryFrame() throws Exception {
        Listener l = listen("ws");
        LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "http://127.0.0.1:" + port(l)) // as Go's websocket.Dial
                .buildAsync(URI.create("ws://127.0.0.1:" + port(l) + "/_rpcx_"), new WebSocket.Listener() {
                    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                        byte[] b = new byte[data.remaining()];
                        data.get(b);
                        partial.writeBytes(b);
                        if (last) {
                            frames.add(partial.toByteArray());
                            partial.reset();
                        }
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            GoldenFrames.Frame request = GoldenFrames.find("Arith.Mul");
            byte[] bytes = request.bytes();
            // the request split over two frames: the server reads a byte stream, as Go's does
            ws.sendBinary(ByteBuffer.wrap(bytes, 0, 5), true).get(10, TimeUnit.SECONDS);
            ws.sendBinary(ByteBuffer.wrap(bytes, 5, bytes.length - 5), true).get(10, TimeUnit.SECONDS);
            ws.sendBinary(ByteBuffer.wrap(concat(bytes, bytes)), true).get(10, TimeUnit.SECONDS); // two in one frame
            for (int i = 0; i < 3; i++) {
                byte[] frame = frames.poll(10, TimeUnit.SECONDS);
                assertTrue(frame != null, "reply " + i);
                Message reply = FrameCodec.decode(ByteBuffer.wrap(frame), FrameLimits.DEFAULT);
                assertEquals(FrameCodec.encode(reply).length, frame.length, "one whole message per frame, as Go writes");
                assertEquals(request.message().seq(), reply.seq());
                assertArrayEquals(request.message().payload(), reply.payload());
            }
        } finally {
            ws.abort();
        }
    }
}
