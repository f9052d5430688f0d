package rpcx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import rpcx.api.CallOptions;
import rpcx.api.Client;
import rpcx.api.ClientOptions;
import rpcx.api.Server;
import rpcx.api.ServerNode;
import rpcx.api.ServerOptions;
import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.Message;
import rpcx.examples.member.cmd.MemberServer;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.Reply;

/**
 * The real server over TCP with msgpack: bad input closes only the offending connection while a healthy client
 * on the same server keeps getting answers, and 1,000 concurrent calls on one connection all complete.
 */
class ServerRobustnessTest {
    private static Server server;
    private static String address;
    private static int port;
    private static Client healthy;

    @BeforeAll
    static void start() {
        server = MemberServer.configure(Server.create(ServerOptions.defaults()
                .withFrameTimeout(java.time.Duration.ofMillis(500)).withMaxMessageLength(1 << 20)));
        address = server.listen("tcp", "127.0.0.1:0");
        String hp = ServerNode.of(address).hostAndPort();
        port = Integer.parseInt(hp.substring(hp.lastIndexOf(':') + 1));
        healthy = Client.connect(address, ClientOptions.defaults());
    }

    @AfterAll
    static void stop() {
        healthy.close();
        server.close();
    }

    private static byte[] badInput(String kind) {
        byte[] good = FrameCodec.encode(Message.request(1, "ServiceUser", "UserInfo", 3, Map.of("k", "v"),
                new byte[] {(byte) 0x81, (byte) 0xa3, 'U', 'i', 'd', 1}));
        ByteBuffer b = ByteBuffer.wrap(good.clone());
        switch (kind) {
            case "truncated header" -> {
                return java.util.Arrays.copyOf(good, 9);
            }
            case "wrong magic" -> b.put(0, (byte) 0x09);
            case "totalLen beyond the maximum" -> b.putInt(12, 0x7FFFFFFF);
            case "path length beyond totalLen" -> b.putInt(16, 0x00FFFFFF);
            case "metadata length beyond totalLen" -> b.putInt(16 + 4 + 11 + 4 + 8, 0x00FFFFFF);
            case "huge metadata count" -> {
                Map<String, String> meta = new java.util.HashMap<>();
                for (int i = 0; i < 5000; i++) {
                    meta.put(Integer.toString(i), "");
                }
                return FrameCodec.encode(Message.request(1, "S", "M", 3, meta, new byte[0]));
            }
            case "garbage" -> {
                byte[] g = new byte[64];
                new java.util.Random(7).nextBytes(g);
                g[0] = 0x47; // 'G'
                return g;
            }
            case "stalls mid-frame" -> {
                return java.util.Arrays.copyOf(good, good.length - 5);
            }
            default -> throw new IllegalArgumentException(kind);
        }
        return b.array();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"truncated header", "wrong magic", "totalLen beyond the maximum", "path length beyond totalLen",
        "metadata length beyond totalLen", "huge metadata count", "garbage", "stalls mid-frame"})
    void badInputClosesThatConnectionOnlyAndTheServerKeepsServing(String kind) throws Exception {
        long heapBefore = usedHeap();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(badInput(kind));
            s.getOutputStream().flush();
            // the server closes the connection (after the frame timeout for the stalled and truncated cases)
            assertEquals(-1, readUntilClosed(s.getInputStream()), kind + ": the server must close the connection");
        }
        Reply r = healthy.call("ServiceUser", "UserInfo", new Args(5), Reply.class, CallOptions.timeout(java.time.Duration.ofSeconds(5)));
        assertEquals(5, r.user().uid());
        assertTrue(usedHeap() - heapBefore < 64L << 20, "no large allocation for " + kind);
    }

    private static int readUntilClosed(InputStream in) throws IOException {
        try {
            int b;
            while ((b = in.read()) != -1) {
                // an error reply would be acceptable before the close; keep reading until EOF
                assertTrue(b >= 0);
            }
            return -1;
        } catch (SocketTimeoutException e) {
            return 0;
        } catch (java.net.SocketException reset) {
            return -1; // connection reset by the server: closed as well
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void thousandConcurrentCallsOnOneTcpConnection() {
        try (Client c = Client.connect(address, ClientOptions.defaults())) {
            List<CompletableFuture<Reply>> calls = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                calls.add(c.callAsync("ServiceUser", "UserInfo", new Args(i), Reply.class, CallOptions.NONE));
            }
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, calls.get(i).join().user().uid(), "call " + i);
            }
            assertEquals(0, c.pendingCalls());
        }
    }
}
