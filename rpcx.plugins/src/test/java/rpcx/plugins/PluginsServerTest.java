package rpcx.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import rpcx.api.CallOptions;
import rpcx.api.Client;
import rpcx.api.ClientConnection;
import rpcx.api.ClientOptions;
import rpcx.api.RequestLimitException;
import rpcx.api.RpcException;
import rpcx.api.Server;
import rpcx.api.ServerPlugin;
import rpcx.api.ServiceException;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;

/** The plugins on a real server, over the in-memory transport, with the raw codec. */
class PluginsServerTest {
    private static final ClientOptions RAW = ClientOptions.defaults().withSerializeType(SerializeType.NONE);
    private static final CallOptions SHORT = CallOptions.timeout(Duration.ofSeconds(5));

    /** A service on raw bytes. */
    public static final class Echo {
        public byte[] echo(byte[] in) {
            return in;
        }

        public byte[] upper(byte[] in) {
            return new String(in, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8);
        }

        public byte[] fail(byte[] in) {
            throw new ServiceException("divide by zero");
        }
    }

    private Server server;

    @BeforeEach
    void start() {
        server = Server.create();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String listen(ServerPlugin... plugins) {
        for (ServerPlugin p : plugins) {
            server.addPlugin(p);
        }
        server.register(new Echo());
        return server.listen("memu", "");
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    @Test
    void aBurstOf100WithBurst10GivesExactly10RepliesAnd90LimitErrorsAndTheConnectionStays() {
        FakeClock clock = new FakeClock();
        RequestRateLimiter limiter = RequestRateLimiter.builder(1, 10).clock(clock).build();
        String address = listen(limiter);
        try (Client c = Client.connect(address, RAW)) {
            List<CompletableFuture<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                calls.add(c.callAsync("Echo", "Echo", b("n" + i), byte[].class, SHORT));
            }
            int ok = 0;
            int limited = 0;
            for (CompletableFuture<byte[]> f : calls) {
                try {
                    f.join();
                    ok++;
                } catch (CompletionException e) {
                    Throwable t = cause(e);
                    assertTrue(t instanceof ServiceException, String.valueOf(t));
                    assertEquals(RequestLimitException.REACHED, t.getMessage());
                    limited++;
                }
            }
            assertEquals(10, ok);
            assertEquals(90, limited);
            assertTrue(c.isOpen(), "a refused request leaves the connection open");

            ServiceException again = assertThrows(ServiceException.class, () -> c.call("Echo", "Echo", b("x"), byte[].class, SHORT));
            assertEquals("request reached rate limit", again.getMessage());
            clock.advance(Duration.ofSeconds(1)); // one token back
            assertArrayEquals(b("x"), c.call("Echo", "Echo", b("x"), byte[].class, SHORT), "the same connection works");

            Message raw = c.sendRaw(Message.request(0, "Echo", "Echo", 0, Map.of(), b("y"))).join();
            assertTrue(raw.isError());
            assertEquals(Map.of(Message.ERROR_KEY, "request reached rate limit"), raw.metadata());
            assertTrue(c.isOpen());
        }
        assertEquals(11, limiter.passedCount());
        assertEquals(92, limiter.refusedCount());
    }

    @Test
    void perMethodLimitsLeaveOtherMethodsServed() {
        FakeClock clock = new FakeClock();
        String address = listen(RequestRateLimiter.builder(1, 2).perMethod(true).clock(clock).build());
        try (Client c = Client.connect(address, RAW)) {
            c.call("Echo", "Echo", b("1"), byte[].class, SHORT);
            c.call("Echo", "Echo", b("2"), byte[].class, SHORT);
            assertThrows(ServiceException.class, () -> c.call("Echo", "Echo", b("3"), byte[].class, SHORT));
            assertArrayEquals(b("A"), c.call("Echo", "Upper", b("a"), byte[].class, SHORT));
        }
    }

    @Test
    void blockModeDelaysRequestsOnServiceThreadsNotOnTheReadingThread() {
        ConcurrentLinkedQueue<String> readThreads = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> waitThreads = new ConcurrentLinkedQueue<>();
        RequestRateLimiter limiter = RequestRateLimiter.builder(20, 1).block(Duration.ofSeconds(1)) // 50 ms per token
                .sleeper(n -> {
                    waitThreads.add(Thread.currentThread().toString());
                    try {
                        TimeUnit.NANOSECONDS.sleep(n);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }).build();
        ServerPlugin spy = new ServerPlugin() {
            @Override
            public Message postReadRequest(ClientConnection connection, Message request) {
                readThreads.add(Thread.currentThread().toString());
                return request;
            }
        };
        String address = listen(spy, limiter);
        try (Client c = Client.connect(address, RAW)) {
            long t0 = System.nanoTime();
            List<CompletableFuture<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                calls.add(c.callAsync("Echo", "Echo", b("n" + i), byte[].class, SHORT));
            }
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(b("n" + i), calls.get(i).join());
            }
            long took = System.nanoTime() - t0;
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(150), "4 tokens 50 ms apart: took " + took / 1_000_000 + " ms");
        }
        assertEquals(5, limiter.passedCount());
        assertEquals(4, limiter.delayedCount());
        assertEquals(0, limiter.refusedCount());
        assertEquals(4, waitThreads.size());
        for (String w : waitThreads) {
            assertFalse(readThreads.contains(w), "waited on " + w + ", a thread that reads requests " + readThreads);
        }
    }

    @Test
    void blockModeStillRefusesWhatIsOverTheMaximumWait() {
        FakeClock clock = new FakeClock();
        String address = listen(RequestRateLimiter.builder(1, 1).block(Duration.ofMillis(10)).clock(clock).build());
        try (Client c = Client.connect(address, RAW)) {
            assertArrayEquals(b("a"), c.call("Echo", "Echo", b("a"), byte[].class, SHORT));
            ServiceException e = assertThrows(ServiceException.class, () -> c.call("Echo", "Echo", b("b"), byte[].class, SHORT));
            assertEquals("request reached rate limit", e.getMessage());
            assertTrue(c.isOpen());
        }
    }

    @Test
    void connectionsOverTheLimitAreClosed() {
        FakeClock clock = new FakeClock();
        ConnectionRateLimiter limiter = ConnectionRateLimiter.withClock(1, 2, clock);
        String address = listen(limiter);
        try (Client a = Client.connect(address, RAW); Client b = Client.connect(address, RAW)) {
            assertArrayEquals(b("a"), a.call("Echo", "Echo", b("a"), byte[].class, SHORT));
            assertArrayEquals(b("b"), b.call("Echo", "Echo", b("b"), byte[].class, SHORT));
            assertThrows(RpcException.class, () -> {
                try (Client third = Client.connect(address, RAW)) {
                    third.call("Echo", "Echo", b("c"), byte[].class, SHORT);
                }
            });
            assertEquals(1, limiter.refusedCount());
            assertTrue(a.isOpen(), "open connections are not affected");
            clock.advance(Duration.ofSeconds(1));
            try (Client fourth = Client.connect(address, RAW)) {
                assertArrayEquals(b("d"), fourth.call("Echo", "Echo", b("d"), byte[].class, SHORT));
            }
        }
    }

    @Test
    void anAllowListRefusesConnectionsWithoutAnIpAddress() {
        IpFilter filter = IpFilter.allowing("127.0.0.1", "::1");
        String address = listen(filter);
        assertThrows(RpcException.class, () -> {
            try (Client c = Client.connect(address, RAW)) {
                c.call("Echo", "Echo", b("x"), byte[].class, SHORT);
            }
        });
        assertEquals(1, filter.refusedCount());
        filter.removeAllow("127.0.0.1");
        filter.removeAllow("::1");
        filter.deny("0.0.0.0/0", "::/0"); // a deny-list alone lets non-IP clients in
        try (Client c = Client.connect(address, RAW)) {
            assertArrayEquals(b("x"), c.call("Echo", "Echo", b("x"), byte[].class, SHORT));
        }
    }

    @Test
    void anAliasIsServedAndTheReplyCarriesTheRealNamesAsInGo() {
        String address = listen(new Alias().alias("Text", "Shout", "Echo", "Upper"));
        try (Client c = Client.connect(address, RAW)) {
            assertArrayEquals(b("HI"), c.call("Text", "Shout", b("hi"), byte[].class, SHORT));
            assertArrayEquals(b("HI"), c.call("Echo", "Upper", b("hi"), byte[].class, SHORT), "the real name still works");
            Message raw = c.sendRaw(Message.request(0, "Text", "Shout", 0, Map.of("k", "v"), b("yo"))).join();
            assertFalse(raw.isError(), raw::toString);
            assertArrayEquals(b("YO"), raw.payload());
            assertEquals("Echo", raw.servicePath());
            assertEquals("Upper", raw.serviceMethod());
            ServiceException e = assertThrows(ServiceException.class, () -> c.call("Text", "Whisper", b("x"), byte[].class, SHORT));
            assertEquals("rpcx: can't find service Text", e.getMessage());
        }
    }

    @Test
    void metricsCountRealCallsAndShowThroughJmx() throws Exception {
        Metrics metrics = new Metrics("plugins-it-" + System.nanoTime());
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        metrics.register(jmx);
        try {
            String address = listen(metrics);
            try (Client c = Client.connect(address, RAW)) {
                for (int i = 0; i < 20; i++) {
                    c.call("Echo", "Echo", b("n" + i), byte[].class, SHORT);
                }
                for (int i = 0; i < 3; i++) {
                    assertThrows(ServiceException.class, () -> c.call("Echo", "Fail", b(""), byte[].class, SHORT));
                }
                assertThrows(ServiceException.class, () -> c.call("Echo", "Nope", b(""), byte[].class, SHORT));
                MetricsSnapshot s = awaitReplies(metrics, 24);
                assertEquals(1, s.servicesRegistered());
                assertEquals(1, s.connectionsAccepted());
                assertEquals(1, s.connectionsOpen());
                MetricsSnapshot.Method echo = s.method("Echo", "Echo").orElseThrow();
                assertEquals(20, echo.requests());
                assertEquals(20, echo.calls());
                assertEquals(0, echo.errors());
                assertEquals(20, echo.replies());
                assertEquals(20, echo.callTime().count());
                assertTrue(echo.callTime().p50Millis() > 0 && echo.callTime().p50Millis() <= echo.callTime().p99Millis());
                assertTrue(echo.readQps() > 0);
                MetricsSnapshot.Method fail = s.method("Echo", "Fail").orElseThrow();
                assertEquals(3, fail.calls());
                assertEquals(3, fail.errors());
                assertEquals(3, fail.errorReplies());
                MetricsSnapshot.Method nope = s.method("Echo", "Nope").orElseThrow();
                assertEquals(1, nope.requests());
                assertEquals(0, nope.calls());
                assertEquals(1, nope.errorReplies());

                ObjectName name = metrics.objectName();
                assertEquals(24L, jmx.getAttribute(name, "Requests"));
                assertEquals(23L, jmx.getAttribute(name, "Calls"));
                assertEquals(3L, jmx.getAttribute(name, "Errors"));
                assertEquals(1, jmx.getAttribute(name, "ConnectionsOpen"));
                CompositeData[] methods = (CompositeData[]) jmx.getAttribute(name, "Methods");
                assertEquals(List.of("Echo.Echo", "Echo.Fail", "Echo.Nope"),
                        List.of(methods).stream().map(m -> m.get("servicePath") + "." + m.get("serviceMethod")).toList());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (metrics.snapshot().connectionsOpen() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, metrics.snapshot().connectionsOpen());
            assertEquals(0, metrics.callsInFlight());
        } finally {
            metrics.unregister();
        }
    }

    /** The snapshot once {@code n} replies were written (the hook runs after the client may have its reply). */
    private static MetricsSnapshot awaitReplies(Metrics m, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        MetricsSnapshot s = m.snapshot();
        while (s.methods().stream().mapToLong(MetricsSnapshot.Method::replies).sum() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
            s = m.snapshot();
        }
        return s;
    }

    @Test
    void pluginsComposeInOrder() {
        FakeClock clock = new FakeClock();
        Metrics metrics = new Metrics("compose");
        // the alias first, so the limiter and the metrics see real names; the limiter before the metrics
        String address = listen(new Alias().alias("Text", "Shout", "Echo", "Upper"),
                RequestRateLimiter.builder(1, 1).perMethod(true).clock(clock).build(), metrics);
        try (Client c = Client.connect(address, RAW)) {
            assertArrayEquals(b("A"), c.call("Text", "Shout", b("a"), byte[].class, SHORT));
            assertThrows(ServiceException.class, () -> c.call("Echo", "Upper", b("a"), byte[].class, SHORT),
                    "the alias and the real name share the real name's bucket");
            assertArrayEquals(b("e"), c.call("Echo", "Echo", b("e"), byte[].class, SHORT));
        }
        MetricsSnapshot s = metrics.snapshot();
        assertEquals(1, s.method("Echo", "Upper").orElseThrow().requests(), "the refused request never reached the metrics");
        assertTrue(s.method("Text", "Shout").isEmpty());
        assertNotEquals(0, s.method("Echo", "Echo").orElseThrow().requests());
    }
}
