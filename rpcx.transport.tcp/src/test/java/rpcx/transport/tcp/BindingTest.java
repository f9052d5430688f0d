package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import rpcx.api.TransportException;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Connection;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportProvider;
import rpcx.testkit.RecordingHandler;

/** tcp, tcp4 and tcp6 bind and dial the address families Go's do; host names are resolved. */
class BindingTest {
    private Transport server;
    private Transport client;

    static java.util.List<TransportProvider> providers() {
        return TcpTests.providers();
    }

    @BeforeAll
    static void requireIpv6Loopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            Assumptions.assumeTrue(s.isBound());
        } catch (IOException e) {
            Assumptions.abort("no IPv6 loopback here: " + e);
        }
    }

    private Listener listen(TransportProvider p, String network, String address, RecordingHandler handler) {
        server = p.create(TcpTests.server(java.time.Duration.ofSeconds(30)));
        client = p.create(TcpTests.client());
        return server.listen(network, address, handler).join();
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static int port(Listener l) {
        return ((InetSocketAddress) l.localAddress()).getPort();
    }

    private void assertEcho(String network, String address) {
        RecordingHandler h = new RecordingHandler();
        Connection c = client.connect(network, address, h).join();
        c.send(Message.request(1, "A", "B", SerializeType.NONE, Map.of(), new byte[] {1})).join();
        assertEquals(1, h.nextMessage(TcpTests.TIMEOUT).seq());
        c.close();
    }

    private void assertRefused(String network, String address) {
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> client.connect(network, address, new RecordingHandler()).join());
        assertInstanceOf(TransportException.class, e.getCause());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void tcp4BindsIpv4Only(TransportProvider p) {
        Listener l = listen(p, "tcp4", ":0", RecordingHandler.echo());
        InetSocketAddress bound = (InetSocketAddress) l.localAddress();
        assertInstanceOf(Inet4Address.class, bound.getAddress());
        assertTrue(bound.getAddress().isAnyLocalAddress());
        assertEcho("tcp4", "127.0.0.1:" + port(l));
        assertEcho("tcp", "127.0.0.1:" + port(l));
        assertRefused("tcp6", "[::1]:" + port(l));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void tcp6OnLoopbackBindsIpv6(TransportProvider p) {
        Listener l = listen(p, "tcp6", "[::1]:0", RecordingHandler.echo());
        assertInstanceOf(Inet6Address.class, ((InetSocketAddress) l.localAddress()).getAddress());
        assertEcho("tcp6", "[::1]:" + port(l));
        assertRefused("tcp4", "127.0.0.1:" + port(l));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void tcp6WildcardServesNoIpv4Clients(TransportProvider p) throws Exception {
        RecordingHandler handler = RecordingHandler.echo();
        Listener l = listen(p, "tcp6", ":0", handler);
        InetSocketAddress bound = (InetSocketAddress) l.localAddress();
        assertInstanceOf(Inet6Address.class, bound.getAddress());
        assertEcho("tcp6", "[::1]:" + port(l));
        // epoll: IPV6_V6ONLY refuses the connection; NIO: it is accepted and closed at once, never opened
        CompletableFuture<Connection> v4 = client.connect("tcp4", "127.0.0.1:" + port(l), new RecordingHandler());
        try {
            Connection c = v4.get(TcpTests.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            c.closeFuture().get(TcpTests.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException refused) {
            assertInstanceOf(TransportException.class, refused.getCause());
        }
        assertEquals(1, handler.count(RecordingHandler.Kind.OPEN));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void tcpWildcardServesBothFamiliesAndHostNames(TransportProvider p) {
        Listener l = listen(p, "tcp", ":0", RecordingHandler.echo());
        assertTrue(((InetSocketAddress) l.localAddress()).getAddress().isAnyLocalAddress());
        assertEcho("tcp", "127.0.0.1:" + port(l));
        assertEcho("tcp", "[::1]:" + port(l));
        assertEcho("tcp", "localhost:" + port(l));
        assertEcho("tcp", ":" + port(l));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void wrongFamilyAndBadAddressesFailTheFuture(TransportProvider p) {
        listen(p, "tcp", "127.0.0.1:0", RecordingHandler.echo());
        assertRefused("tcp4", "[::1]:80");
        assertRefused("tcp6", "127.0.0.1:80");
        assertRefused("tcp", "no-such-host.invalid:80");
        assertRefused("tcp", "127.0.0.1");
        assertRefused("quic", "127.0.0.1:80");
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> server.listen("tcp6", "127.0.0.1:0", new RecordingHandler()).join());
        assertInstanceOf(TransportException.class, e.getCause());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void addressInUseFailsTheListen(TransportProvider p) {
        Listener l = listen(p, "tcp", "127.0.0.1:0", RecordingHandler.echo());
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> server.listen("tcp", "127.0.0.1:" + port(l), new RecordingHandler()).join());
        assertInstanceOf(TransportException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("cannot listen on tcp@127.0.0.1:" + port(l)), e.getCause().getMessage());
    }
}
