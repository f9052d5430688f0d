package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.AfterEach;
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

/** Network {@code reuseport}: two listeners (as two processes would) share one port; plain {@code tcp} cannot join. */
class ReusePortTest {
    private final List<Transport> transports = new ArrayList<>();

    static List<TransportProvider> providers() {
        return TcpTests.providers();
    }

    @AfterEach
    void close() {
        transports.forEach(Transport::close);
    }

    private Transport transport(TransportProvider p) {
        Transport t = p.create(TcpTests.server(java.time.Duration.ofSeconds(30)));
        transports.add(t);
        return t;
    }

    @ParameterizedTest
    @MethodSource("providers")
    void twoReusePortListenersShareAPortAndServe(TransportProvider p) {
        Listener first = transport(p).listen("reuseport", "127.0.0.1:0", RecordingHandler.echo()).join();
        int port = ((InetSocketAddress) first.localAddress()).getPort();
        Listener second = transport(p).listen("reuseport", "127.0.0.1:" + port, RecordingHandler.echo()).join();
        assertEquals(port, ((InetSocketAddress) second.localAddress()).getPort());
        CompletionException plain = assertThrows(CompletionException.class,
                () -> transport(p).listen("tcp", "127.0.0.1:" + port, RecordingHandler.echo()).join());
        assertInstanceOf(TransportException.class, plain.getCause());
        first.stopAccepting().join(); // as the old process does while it drains: the second keeps serving
        RecordingHandler h = new RecordingHandler();
        Connection c = transport(p).connect("reuseport", "127.0.0.1:" + port, h).join();
        c.send(Message.request(7, "A", "B", SerializeType.NONE, Map.of(), new byte[] {1})).join();
        assertEquals(7, h.nextMessage(TcpTests.TIMEOUT).seq());
        c.close();
    }
}
