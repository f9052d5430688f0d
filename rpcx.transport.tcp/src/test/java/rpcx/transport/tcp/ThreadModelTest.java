package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.netty.channel.EventLoopGroup;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Connection;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportProvider;
import rpcx.testkit.RecordingHandler;

/**
 * Client transports of one provider share one lazily created event loop group, released with the last of them;
 * server transports have their own groups; all I/O threads are named daemon threads.
 */
class ThreadModelTest {
    static List<TransportProvider> providers() {
        return TcpTests.providers();
    }

    private static String address(Listener l) {
        return "127.0.0.1:" + ((InetSocketAddress) l.localAddress()).getPort();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void clientTransportsShareOneGroupAndServersHaveTheirOwn(TransportProvider p) {
        Transport server1 = p.create(TcpTests.server(java.time.Duration.ofSeconds(30)));
        Transport server2 = p.create(TcpTests.server(java.time.Duration.ofSeconds(30)));
        Transport client1 = p.create(TcpTests.client());
        Transport client2 = p.create(TcpTests.client());
        SharedClientGroup shared = ((NettyTransport) client1).kind().clientGroup();
        try {
            RecordingHandler s1 = RecordingHandler.echo();
            RecordingHandler s2 = RecordingHandler.echo();
            Listener l1 = server1.listen("tcp", "127.0.0.1:0", s1).join();
            Listener l2 = server2.listen("tcp", "127.0.0.1:0", s2).join();
            assertNull(shared.current(), "no client group before the first connect");

            RecordingHandler h1 = new RecordingHandler();
            RecordingHandler h2 = new RecordingHandler();
            NettyConnection c1 = (NettyConnection) client1.connect("tcp", address(l1), h1).join();
            NettyConnection c2 = (NettyConnection) client2.connect("tcp", address(l2), h2).join();
            EventLoopGroup group = shared.current();
            assertNotNull(group);
            assertEquals(2, shared.users());
            assertSame(group, c1.channel().eventLoop().parent());
            assertSame(group, c2.channel().eventLoop().parent());

            NettyConnection a1 = (NettyConnection) s1.nextOpen(TcpTests.TIMEOUT);
            NettyConnection a2 = (NettyConnection) s2.nextOpen(TcpTests.TIMEOUT);
            assertNotSame(a1.channel().eventLoop().parent(), a2.channel().eventLoop().parent());
            assertNotSame(group, a1.channel().eventLoop().parent());

            c1.send(Message.request(1, "A", "B", SerializeType.NONE, Map.of(), new byte[0])).join();
            RecordingHandler.Event clientEvent = awaitMessageEvent(h1);
            assertTrue(clientEvent.thread().startsWith("rpcx-tcp-client-" + c1.kind()), clientEvent.thread());
            RecordingHandler.Event serverEvent = s1.events().stream().filter(e -> e.kind() == RecordingHandler.Kind.MESSAGE).findFirst().orElseThrow();
            assertTrue(serverEvent.thread().startsWith("rpcx-tcp-io-" + c1.kind()), serverEvent.thread());
            assertTrue(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("rpcx-tcp-"))
                    .allMatch(Thread::isDaemon), "all I/O threads are daemon threads");

            client1.close();
            assertEquals(1, shared.users());
            assertSame(group, shared.current());
            assertTrue(c1.closeFuture().isDone());
            assertTrue(c2.isOpen());
            client2.close();
            assertNull(shared.current());
            assertTrue(group.isShuttingDown());
        } finally {
            client1.close();
            client2.close();
            server1.close();
            server2.close();
        }
        EventLoopGroup again = shared.acquire();
        try {
            assertTrue(!again.isShuttingDown(), "a new group after the old one was released");
        } finally {
            shared.release(again);
        }
    }

    private static RecordingHandler.Event awaitMessageEvent(RecordingHandler h) {
        h.nextMessage(TcpTests.TIMEOUT);
        return h.events().stream().filter(e -> e.kind() == RecordingHandler.Kind.MESSAGE).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void closingTheClientTransportFromItsOwnEventLoopDoesNotDeadlock(TransportProvider p) throws Exception {
        Transport server = p.create(TcpTests.server(java.time.Duration.ofSeconds(30)));
        Transport client = p.create(TcpTests.client());
        try {
            Listener l = server.listen("tcp", "127.0.0.1:0", RecordingHandler.echo()).join();
            RecordingHandler h = new RecordingHandler() {
                @Override
                public void onMessage(Connection connection, Message message) {
                    super.onMessage(connection, message);
                    client.close(); // on an event loop: must neither block nor throw
                }
            };
            Connection c = client.connect("tcp", address(l), h).join();
            c.send(Message.request(1, "A", "B", SerializeType.NONE, Map.of(), new byte[0])).join();
            c.closeFuture().get(TcpTests.TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            h.nextClose(TcpTests.TIMEOUT);
        } finally {
            client.close();
            server.close();
        }
    }
}
