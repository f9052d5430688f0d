package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import rpcx.api.TransportException;
import rpcx.api.protocol.FrameTooLargeException;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Connection;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportProvider;
import rpcx.testkit.RecordingHandler;

/** Behaviour beyond the conformance suite: many clients, pausing reads, local size checks, unix socket files. */
class ConnectionBehaviourTest {
    private final List<Transport> transports = new ArrayList<>();
    private static final SocketPaths SOCKETS = new SocketPaths();

    static List<TransportProvider> providers() {
        return TcpTests.providers();
    }

    private Transport server(TransportProvider p) {
        Transport t = p.create(TcpTests.server(Duration.ofSeconds(30)));
        transports.add(t);
        return t;
    }

    private Transport client(TransportProvider p) {
        Transport t = p.create(TcpTests.client());
        transports.add(t);
        return t;
    }

    @AfterEach
    void close() {
        transports.forEach(Transport::close);
    }

    private static String address(Listener l) {
        return "127.0.0.1:" + ((InetSocketAddress) l.localAddress()).getPort();
    }

    private static Message request(long seq, int size) {
        return Message.request(seq, "A", "B", SerializeType.NONE, Map.of(), new byte[size]);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void serverAcceptsManyClientsAtOnce(TransportProvider p) {
        RecordingHandler server = RecordingHandler.echo();
        Listener l = server(p).listen("tcp", "127.0.0.1:0", server).join();
        int clients = 50;
        List<CompletableFuture<Connection>> dials = new ArrayList<>();
        List<RecordingHandler> handlers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            RecordingHandler h = new RecordingHandler();
            handlers.add(h);
            dials.add(client(p).connect("tcp", address(l), h));
        }
        for (int i = 0; i < clients; i++) {
            dials.get(i).join().send(request(i, 10));
        }
        for (int i = 0; i < clients; i++) {
            assertEquals(i, handlers.get(i).nextMessage(TcpTests.TIMEOUT).seq());
        }
        assertEquals(clients, server.count(RecordingHandler.Kind.OPEN));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void pausedReadingHoldsDeliveryButNotWritesUntilResumed(TransportProvider p) {
        RecordingHandler server = new RecordingHandler() {
            @Override
            public void onMessage(Connection connection, Message message) {
                super.onMessage(connection, message);
                connection.pauseReading();
                connection.send(message.toResponse());
            }
        };
        Listener l = server(p).listen("tcp", "127.0.0.1:0", server).join();
        RecordingHandler client = new RecordingHandler();
        Connection c = client(p).connect("tcp", address(l), client).join();
        c.send(request(1, 1)).join();
        assertEquals(1, server.nextMessage(TcpTests.TIMEOUT).seq());
        assertEquals(1, client.nextMessage(TcpTests.TIMEOUT).seq());
        c.send(request(2, 1)).join();
        server.assertNoMessage(Duration.ofMillis(400));
        Connection accepted = server.nextOpen(TcpTests.TIMEOUT);
        accepted.send(request(3, 1).withOneway(true)).join();
        assertEquals(3, client.nextMessage(TcpTests.TIMEOUT).seq());
        assertTrue(accepted.isOpen());
        accepted.resumeReading();
        assertEquals(2, server.nextMessage(TcpTests.TIMEOUT).seq(), "the held frame arrives once reading resumes");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void sendingMoreThanTheLocalMaximumFailsOnlyThatSend(TransportProvider p) {
        Listener l = server(p).listen("tcp", "127.0.0.1:0", RecordingHandler.echo()).join();
        RecordingHandler client = new RecordingHandler();
        Transport small = p.create(TcpTests.server(Duration.ZERO)); // 64 KiB maximum, used as a client
        transports.add(small);
        Connection c = small.connect("tcp", address(l), client).join();
        CompletionException e = assertThrows(CompletionException.class, () -> c.send(request(1, 64 * 1024)).join());
        assertInstanceOf(FrameTooLargeException.class, e.getCause());
        assertTrue(c.isOpen());
        c.send(request(2, 100)).join();
        assertEquals(2, client.nextMessage(TcpTests.TIMEOUT).seq());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void unixListenerOwnsItsSocketFile(TransportProvider p) throws Exception {
        String path = SOCKETS.next();
        Transport t = server(p);
        Listener l = t.listen("unix", path, RecordingHandler.echo()).join();
        assertEquals(UnixDomainSocketAddress.of(path), l.localAddress());
        assertTrue(Files.exists(Path.of(path)));
        CompletionException inUse = assertThrows(CompletionException.class,
                () -> t.listen("unix", path, new RecordingHandler()).join());
        assertInstanceOf(TransportException.class, inUse.getCause());

        RecordingHandler h = new RecordingHandler();
        Connection c = client(p).connect("unix", path, h).join();
        assertEquals(UnixDomainSocketAddress.of(path), c.remoteAddress());
        c.send(request(9, 3)).join();
        assertEquals(9, h.nextMessage(TcpTests.TIMEOUT).seq());

        l.close();
        assertFalse(Files.exists(Path.of(path)), "the socket file is removed when the listener stops");
        CompletionException refused = assertThrows(CompletionException.class,
                () -> client(p).connect("unix", path, new RecordingHandler()).join());
        assertInstanceOf(TransportException.class, refused.getCause());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void closedTransportRefusesWork(TransportProvider p) {
        Transport t = p.create(TcpTests.client());
        t.close();
        t.close();
        CompletionException e = assertThrows(CompletionException.class,
                () -> t.listen("tcp", "127.0.0.1:0", new RecordingHandler()).join());
        assertInstanceOf(TransportException.class, e.getCause());
        e = assertThrows(CompletionException.class, () -> t.connect("tcp", "127.0.0.1:1", new RecordingHandler()).join());
        assertInstanceOf(TransportException.class, e.getCause());
    }
}
