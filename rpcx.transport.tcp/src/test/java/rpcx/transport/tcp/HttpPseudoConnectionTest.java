package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import rpcx.api.TransportException;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Connection;
import rpcx.api.spi.ConnectionHandler;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.api.spi.TransportProvider;
import rpcx.transport.tcp.HttpTests.RawHttp;
import rpcx.transport.tcp.HttpTests.Response;

/**
 * The pseudo-connection contract between the transport's HTTP side and a server handler, without rpcx.api's
 * Server: what {@code send} and {@code close} on the connection of an HTTP request turn into.
 */
class HttpPseudoConnectionTest {
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final List<Object> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CompletableFuture<Throwable> pushResult = new CompletableFuture<>();
    private Transport server;
    private int port;

    static List<TransportProvider> providers() {
        return TcpTests.providers();
    }

    private static Message error(Message req, String text) {
        return req.toResponse().withError(true).withMetadata(Map.of(Message.ERROR_KEY, text));
    }

    private final ConnectionHandler handler = new ConnectionHandler() {
        @Override
        public void onOpen(Connection connection) {
            events.add("open");
            // a push before the first byte: held back, then refused once the connection turns out to be HTTP
            connection.send(Message.request(1, "Push", "Notify", SerializeType.NONE, Map.of(), new byte[] {1}).withOneway(true))
                    .whenComplete((v, e) -> pushResult.complete(e));
        }

        @Override
        public void onMessage(Connection conn, Message m) {
            switch (m.serviceMethod()) {
                case "Ok" -> conn.send(m.toResponse().withPayload("ok".getBytes(StandardCharsets.UTF_8)));
                case "Err" -> executor.execute(() -> conn.send(error(m, "plain error")));
                case "ErrClose" -> executor.execute(() -> {
                    conn.send(error(m, "invalid token"));
                    conn.close();
                });
                case "ErrCloseChained" -> executor.execute(() -> conn.send(error(m, "invalid token")).whenComplete((v, e) -> conn.close()));
                case "ErrCloseOnLoop" -> {
                    conn.send(error(m, "invalid token"));
                    conn.close();
                }
                case "Close" -> executor.execute(conn::close);
                case "Utf8" -> conn.send(error(m, "naïve ü\r\nX-Injected: 1"));
                case "Push" -> conn.send(Message.request(2, "P", "Q", 0, Map.of(), new byte[0]))
                        .whenComplete((v, e) -> conn.send(m.toResponse().withPayload(
                                (e == null ? "sent" : e.getClass().getSimpleName()).getBytes(StandardCharsets.UTF_8))));
                default -> conn.send(error(m, "unknown"));
            }
        }

        @Override
        public void onError(Connection connection, Throwable error) {
            events.add(error);
        }

        @Override
        public void onClose(Connection connection) {
            events.add("close");
        }
    };

    private void start(TransportProvider provider) {
        server = provider.create(TransportConfig.DEFAULT.withConnectTimeout(java.time.Duration.ofSeconds(5)));
        Listener l = server.listen("tcp", "127.0.0.1:0", handler).join();
        port = ((java.net.InetSocketAddress) l.localAddress()).getPort();
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    private static String request(String method) {
        return "POST /Svc HTTP/1.1\r\nHost: x\r\nX-RPCX-SerializeType: 0\r\nX-RPCX-ServiceMethod: " + method
                + "\r\nContent-Length: 0\r\n\r\n";
    }

    @ParameterizedTest
    @MethodSource("providers")
    void sendAndCloseBecomeHttpStatuses(TransportProvider provider) throws Exception {
        start(provider);
        try (RawHttp raw = new RawHttp(port)) {
            Response ok = raw.send(request("Ok")).read();
            assertEquals(200, ok.status());
            assertEquals("ok", ok.text());
            Response err = raw.send(request("Err")).read();
            assertEquals(500, err.status(), "an error response without close: 500, connection kept");
            assertEquals("plain error", err.header("X-RPCX-ErrorMessage"));
            Response utf8 = raw.send(request("Utf8")).read();
            assertEquals("naïve ü  X-Injected: 1", new String(utf8.header("X-RPCX-ErrorMessage").getBytes(StandardCharsets.ISO_8859_1),
                    StandardCharsets.UTF_8), "UTF-8 bytes on the wire, as Go; no header injection");
            assertNull(utf8.header("X-Injected"));
            Response push = raw.send(request("Push")).read();
            assertEquals("TransportException", push.text(), "no pushes over HTTP");
            Response auth = raw.send(request("ErrClose")).read();
            assertEquals(401, auth.status(), "error response followed by close: 401");
            assertEquals("Error", auth.header("X-RPCX-MessageStatusType"));
            assertEquals("invalid token", auth.header("X-RPCX-ErrorMessage"));
            assertTrue(raw.closedByPeer());
        }
        assertInstanceOf(TransportException.class, pushResult.get(10, TimeUnit.SECONDS));
        for (String method : List.of("ErrCloseChained", "ErrCloseOnLoop")) {
            try (RawHttp raw = new RawHttp(port)) {
                Response auth = raw.send(request(method)).read();
                assertEquals(401, auth.status(), method);
                assertTrue(raw.closedByPeer());
            }
        }
        try (RawHttp raw = new RawHttp(port)) {
            Response closed = raw.send(request("Close")).read();
            assertEquals(500, closed.status(), "close without a response: 500");
            assertEquals("rpcx: the server closed the connection", closed.header("X-RPCX-ErrorMessage"));
            assertEquals("close", closed.header("Connection"));
            assertTrue(raw.closedByPeer());
        }
        assertFalse(events.stream().anyMatch(e -> e instanceof Throwable), "no errors: " + events);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aPushOnOpenWaitsForTheFirstBytesOfAnRpcxClient(TransportProvider provider) throws Exception {
        start(provider);
        Transport clientTransport = provider.create(TransportConfig.DEFAULT.withConnectTimeout(java.time.Duration.ofSeconds(5)));
        try {
            rpcx.testkit.RecordingHandler client = new rpcx.testkit.RecordingHandler();
            Connection c = clientTransport.connect("tcp", "127.0.0.1:" + port, client).join();
            c.send(Message.request(77, "Svc", "Ok", SerializeType.NONE, Map.of(), new byte[0])).join();
            Message first = client.nextMessage(TcpTests.TIMEOUT);
            assertEquals("Notify", first.serviceMethod(), "the push held back since accept goes out first");
            assertEquals(77, client.nextMessage(TcpTests.TIMEOUT).seq());
            assertNull(pushResult.get(10, TimeUnit.SECONDS));
        } finally {
            clientTransport.close();
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void malformedRequestIsReportedToOnErrorOnce(TransportProvider provider) throws Exception {
        start(provider);
        try (RawHttp raw = new RawHttp(port)) {
            Response r = raw.send("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n").read();
            assertEquals(400, r.status());
            assertTrue(raw.closedByPeer());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (events.stream().filter("close"::equals).count() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        List<Object> errors = events.stream().filter(e -> e instanceof Throwable).toList();
        assertEquals(1, errors.size(), events.toString());
        assertInstanceOf(HttpExchangeHandler.Rejection.class, errors.get(0));
    }
}
