package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import rpcx.api.TransportException;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Connection;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.api.spi.TransportProvider;
import rpcx.testkit.RawPeer;
import rpcx.testkit.RecordingHandler;

/** readIdleTimeout, writeTimeout and connectTimeout. */
class TimeoutTest {
    private final List<Transport> transports = new ArrayList<>();

    static List<TransportProvider> providers() {
        return TcpTests.providers();
    }

    private Transport create(TransportProvider p, TransportConfig config) {
        Transport t = p.create(config);
        transports.add(t);
        return t;
    }

    @AfterEach
    void close() {
        transports.forEach(Transport::close);
    }

    private static Message request(long seq) {
        return Message.request(seq, "A", "B", SerializeType.NONE, Map.of(), new byte[] {1});
    }

    @ParameterizedTest
    @MethodSource("providers")
    void readIdleTimeoutClosesOnlyIdleConnections(TransportProvider p) throws Exception {
        TransportConfig config = new TransportConfig(FrameLimits.DEFAULT, Duration.ofMillis(500), Duration.ZERO,
                Duration.ZERO, Duration.ofSeconds(5), 1);
        RecordingHandler server = RecordingHandler.echo();
        Listener l = create(p, config).listen("tcp", "127.0.0.1:0", server).join();
        RecordingHandler client = new RecordingHandler();
        Connection c = create(p, TcpTests.client()).connect("tcp", "127.0.0.1:" + ((java.net.InetSocketAddress) l.localAddress()).getPort(), client).join();
        // busy for 7 x 100 ms, longer than the 500 ms idle timeout: stays open
        for (int i = 0; i < 7; i++) {
            c.send(request(i)).join();
            assertEquals(i, client.nextMessage(TcpTests.TIMEOUT).seq());
            Thread.sleep(100);
        }
        assertTrue(c.isOpen());
        // then idle: closed by the server with an error
        Throwable error = server.nextError(TcpTests.TIMEOUT);
        assertInstanceOf(TransportException.class, error);
        assertTrue(error.getMessage().contains("idle"), error.getMessage());
        c.closeFuture().get(TcpTests.TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void writeTimeoutClosesAConnectionWhosePeerDoesNotRead(TransportProvider p) throws Exception {
        TransportConfig config = new TransportConfig(FrameLimits.DEFAULT, Duration.ZERO, Duration.ofMillis(300),
                Duration.ZERO, Duration.ofSeconds(5), 1);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        RecordingHandler server = new RecordingHandler() {
            @Override
            public void onOpen(Connection connection) {
                super.onOpen(connection);
                byte[] mib = new byte[1 << 20];
                synchronized (writes) {
                    for (int i = 0; i < 16; i++) {
                        writes.add(connection.send(Message.request(i, "Push", "Big", SerializeType.NONE, Map.of(), mib)));
                    }
                }
            }
        };
        Listener l = create(p, config).listen("tcp", "127.0.0.1:0", server).join();
        try (RawPeer sleepy = RawPeer.connect(l.localAddress(), 4096)) {
            Throwable error = server.nextError(TcpTests.TIMEOUT);
            assertInstanceOf(TransportException.class, error);
            assertTrue(error.getMessage().contains("write timeout"), error.getMessage());
            server.nextClose(TcpTests.TIMEOUT);
            assertTrue(sleepy.awaitClosed(TcpTests.TIMEOUT));
        }
        List<CompletableFuture<Void>> all;
        synchronized (writes) {
            all = List.copyOf(writes);
        }
        CompletableFuture<Void> last = all.get(all.size() - 1);
        CompletionException failed = assertThrows(CompletionException.class, last::join);
        assertInstanceOf(TransportException.class, failed.getCause());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void connectTimeoutIsHonoured(TransportProvider p) throws Exception {
        // a listener that never accepts, with its backlog filled: further SYNs go unanswered
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> fillers = new ArrayList<>();
            try {
                boolean stalled = false;
                for (int i = 0; i < 16 && !stalled; i++) {
                    Socket s = new Socket();
                    fillers.add(s);
                    try {
                        s.connect(full.getLocalSocketAddress(), 200);
                    } catch (SocketTimeoutException e) {
                        stalled = true;
                    }
                }
                Assumptions.assumeTrue(stalled, "cannot make a connect hang here");
                Transport client = create(p, TransportConfig.DEFAULT.withConnectTimeout(Duration.ofMillis(200)));
                long start = System.nanoTime();
                CompletionException e = assertThrows(CompletionException.class,
                        () -> client.connect("tcp", "127.0.0.1:" + full.getLocalPort(), new RecordingHandler()).join());
                assertInstanceOf(TransportException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("connect timeout"), e.getCause().getMessage());
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "honours the 200 ms connect timeout");
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void refusedConnectFailsWithTransportException(TransportProvider p) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        Transport client = create(p, TcpTests.client());
        CompletionException e = assertThrows(CompletionException.class,
                () -> client.connect("tcp", "127.0.0.1:" + port, new RecordingHandler()).join());
        assertInstanceOf(TransportException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("tcp@127.0.0.1:" + port), e.getCause().getMessage());
    }
}
