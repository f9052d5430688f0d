package rpcx.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import rpcx.api.internal.Providers;
import rpcx.api.protocol.CompressType;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Connection;
import rpcx.api.spi.ConnectionHandler;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;

/** The server and client runtime over the in-memory transport, with the raw codec (SerializeType 0). */
class ServerClientMemoryTest {
    private static final ClientOptions RAW = ClientOptions.defaults().withSerializeType(SerializeType.NONE);

    /** A service whose methods take and return raw bytes. */
    public static final class Echo {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);

        public byte[] echo(byte[] in) {
            calls.incrementAndGet();
            return in;
        }

        public byte[] upper(CallContext ctx, byte[] in) {
            ctx.setResponseMetadata("seen", ctx.requestMetadata("k") + "/" + ctx.remaining().isPresent());
            return new String(in, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8);
        }

        public byte[] fail(byte[] in) {
            throw new ServiceException("divide by zero");
        }

        public byte[] boom(byte[] in) {
            throw new IllegalStateException("state is wrong");
        }

        public byte[] slow(byte[] in) throws InterruptedException {
            int ms = in.length == 0 ? 0 : in[0];
            Thread.sleep(ms);
            return in;
        }

        public byte[] block(byte[] in) throws InterruptedException {
            calls.incrementAndGet();
            release.await(10, TimeUnit.SECONDS);
            return in;
        }

        public CompletableFuture<byte[]> later(byte[] in) {
            return CompletableFuture.supplyAsync(() -> in);
        }

        @RpcMethod("Renamed")
        public byte[] somethingElse(byte[] in) {
            return "renamed".getBytes(StandardCharsets.UTF_8);
        }

        public void notExposed(byte[] in) {
        }
    }

    private Server server;
    private Echo echo;
    private String address;

    @BeforeEach
    void start() {
        server = Server.create();
        echo = new Echo();
        server.register(echo);
        server.registerFunction("Fn", "Reverse", byte[].class, (ctx, in) -> {
            byte[] out = new byte[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = in[in.length - 1 - i];
            }
            return out;
        });
        server.addHandler("Echo", "Routed", hc -> hc.write(("routed:" + hc.payload().length).getBytes(StandardCharsets.UTF_8)));
        address = server.listen("memu", "");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void registersUnderGoNamesAndServesMethodsFunctionsAndHandlers() {
        assertEquals(List.of("Block", "Boom", "Echo", "Fail", "Later", "Renamed", "Slow", "Upper"), server.methods("Echo"));
        try (Client c = Client.connect(address, RAW)) {
            assertArrayEquals(b("hi"), c.call("Echo", "Echo", b("hi"), byte[].class));
            assertArrayEquals(b("olleh"), c.call("Fn", "Reverse", b("hello"), byte[].class));
            assertArrayEquals(b("routed:3"), c.call("Echo", "Routed", b("abc"), byte[].class));
            assertArrayEquals(b("renamed"), c.call("Echo", "Renamed", b(""), byte[].class));
            assertArrayEquals(b("x"), c.call("Echo", "Later", b("x"), byte[].class));
        }
    }

    @Test
    void unknownServiceAndMethodGiveGosExactErrors() {
        try (Client c = Client.connect(address, RAW)) {
            ServiceException s = assertThrows(ServiceException.class, () -> c.call("NoSuch", "X", b(""), byte[].class));
            assertEquals("rpcx: can't find service NoSuch", s.getMessage());
            ServiceException m = assertThrows(ServiceException.class, () -> c.call("Echo", "Nope", b(""), byte[].class));
            assertEquals("rpcx: can't find method Nope", m.getMessage());
            Message raw = c.sendRaw(Message.request(0, "Echo", "Nope", 0, Map.of(), new byte[0])).join();
            assertTrue(raw.isError());
            assertEquals(0, raw.payloadLength());
            assertEquals(Map.of(Message.ERROR_KEY, "rpcx: can't find method Nope"), raw.metadata());
        }
    }

    @Test
    void serviceErrorsCarryTheirTextAndAreTyped() {
        try (Client c = Client.connect(address, RAW)) {
            ServiceException e = assertThrows(ServiceException.class, () -> c.call("Echo", "Fail", b(""), byte[].class));
            assertEquals("divide by zero", e.getMessage());
            assertEquals(RpcException.Kind.SERVICE, e.kind());
            assertFalse(e.isRetryable());
            ServiceException boom = assertThrows(ServiceException.class, () -> c.call("Echo", "Boom", b(""), byte[].class));
            assertEquals("state is wrong", boom.getMessage());
            // the connection survives errors
            assertArrayEquals(b("ok"), c.call("Echo", "Echo", b("ok"), byte[].class));
        }
    }

    @Test
    void metadataTravelsBothWaysAndTheDeadlineReachesTheService() {
        try (Client c = Client.connect(address, RAW)) {
            Response<byte[]> r = c.invoke("Echo", "Upper", b("abc"), byte[].class,
                    CallOptions.timeout(Duration.ofSeconds(5)).withMetadata("k", "v"));
            assertArrayEquals(b("ABC"), r.value());
            assertEquals("v/true", r.metadata().get("seen"));
            assertEquals(address, r.server());
        }
    }

    @Test
    void expiredRequestsAreNotStarted() {
        try (Client c = Client.connect(address, RAW)) {
            Message req = Message.request(0, "Echo", "Echo", 0, Map.of(Message.SERVER_TIMEOUT_KEY, "0"), b("x"));
            Message res = c.sendRaw(req).join();
            assertTrue(res.isError());
            assertTrue(res.errorMessage().contains("deadline"), res.errorMessage());
            assertEquals(0, echo.calls.get(), "the service must not run for an expired request");
        }
    }

    @Test
    void clientDeadlineFailsTheCallWithATimeout() {
        try (Client c = Client.connect(address, RAW)) {
            RpcTimeoutException e = assertThrows(RpcTimeoutException.class,
                    () -> c.call("Echo", "Block", b("x"), byte[].class, CallOptions.timeout(Duration.ofMillis(200))));
            assertEquals(RpcException.Kind.TIMEOUT, e.kind());
            echo.release.countDown();
            assertArrayEquals(b("y"), c.call("Echo", "Echo", b("y"), byte[].class));
        }
    }

    @Test
    void heartbeatsAreEchoedVerbatimAndOnewayGetsNoReply() throws Exception {
        LinkedBlockingQueue<Message> in = new LinkedBlockingQueue<>();
        try (Transport t = Providers.transport("memu").create(TransportConfig.DEFAULT)) {
            Connection conn = t.connect("memu", ServerNode.of(address).hostAndPort(), new ConnectionHandler() {
                @Override
                public void onMessage(Connection connection, Message message) {
                    in.add(message);
                }
            }).join();
            Message hb = Message.request(7, "", "", SerializeType.MSGPACK, Map.of(),
                    java.util.HexFormat.of().parseHex("d317979cfe362a0000")).withHeartbeat(true);
            conn.send(hb).join();
            assertEquals(hb.withResponse(true), in.poll(5, TimeUnit.SECONDS));
            conn.send(Message.request(8, "Echo", "Echo", 0, Map.of(), b("one")).withOneway(true)).join();
            conn.send(Message.request(9, "Echo", "Fail", 0, Map.of(), b("")).withOneway(true)).join();
            conn.send(Message.request(10, "Echo", "Echo", 0, Map.of(), b("two"))).join();
            Message next = in.poll(5, TimeUnit.SECONDS);
            assertEquals(10, next.seq(), "oneway requests (even failing ones) get no reply");
            assertNull(in.poll(200, TimeUnit.MILLISECONDS));
            assertEquals(2, echo.calls.get());
        }
    }

    @Test
    void thousandConcurrentCallsOnOneConnectionCompleteOutOfOrderWithTheRightReplies() {
        try (Client c = Client.connect(address, RAW)) {
            List<CompletableFuture<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                byte[] payload = {(byte) (i % 7), (byte) (i >> 8), (byte) i};
                calls.add(c.callAsync("Echo", "Slow", payload, byte[].class, CallOptions.NONE));
            }
            for (int i = 0; i < 1000; i++) {
                byte[] expected = {(byte) (i % 7), (byte) (i >> 8), (byte) i};
                assertArrayEquals(expected, calls.get(i).join(), "call " + i);
            }
            assertEquals(0, c.pendingCalls());
        }
    }

    @Test
    void asyncCallsCompleteOnTheConfiguredCallbackExecutor() {
        try (Client pooled = Client.connect(address, RAW)) {
            // Slow sleeps in[0] ms: the continuation is attached before the reply can arrive
            String thread = pooled.callAsync("Echo", "Slow", new byte[] {30}, byte[].class, CallOptions.NONE)
                    .thenApply(r -> Thread.currentThread().getName()).join();
            assertTrue(thread.startsWith("rpcx-callback-"), thread);
        }
        AtomicInteger ran = new AtomicInteger();
        java.util.concurrent.ExecutorService mine = java.util.concurrent.Executors.newSingleThreadExecutor(r -> new Thread(r, "mine"));
        try (Client c = Client.connect(address, RAW.withCallbackExecutor(task -> {
            ran.incrementAndGet();
            mine.execute(task);
        }))) {
            for (int i = 0; i < 10; i++) {
                byte[] in = {(byte) (20 + i)};
                CompletableFuture<String> call = c.<byte[]>callAsync("Echo", "Slow", in, byte[].class, CallOptions.NONE)
                        .thenApply(r -> (r[0] == in[0] ? "ok@" : "wrong@") + Thread.currentThread().getName());
                assertEquals("ok@mine", call.join());
            }
            assertEquals(10, ran.get(), "one hand-off per call, to the given executor");
        } finally {
            mine.shutdown();
        }
        java.util.Set<String> direct = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (Client c = Client.connect(address, RAW.withCallbackExecutor(Runnable::run))) {
            for (int i = 0; i < 5; i++) {
                direct.add(c.callAsync("Echo", "Slow", new byte[] {30}, byte[].class, CallOptions.NONE)
                        .thenApply(r -> Thread.currentThread().getName()).join());
            }
        }
        // completed on the thread that delivered the reply: neither the pool nor the caller
        assertTrue(direct.stream().noneMatch(n -> n.startsWith("rpcx-callback-") || n.equals(Thread.currentThread().getName())),
                direct.toString());
    }

    @Test
    void aDroppedConnectionFailsInFlightCallsAtOnce() throws Exception {
        Client c = Client.connect(address, RAW);
        CompletableFuture<byte[]> inFlight = c.callAsync("Echo", "Block", b("x"), byte[].class, CallOptions.NONE);
        while (echo.calls.get() == 0) {
            Thread.sleep(5);
        }
        server.close();
        Exception e = assertThrows(Exception.class, () -> inFlight.get(5, TimeUnit.SECONDS));
        assertInstanceOf(TransportException.class, e.getCause());
        assertFalse(c.isOpen());
        assertThrows(TransportException.class, () -> c.call("Echo", "Echo", b("x"), byte[].class));
        echo.release.countDown();
    }

    @Test
    void gracefulShutdownFinishesInFlightCallsAndRefusesNewOnes() throws Exception {
        try (Client c = Client.connect(address, RAW)) {
            CompletableFuture<byte[]> inFlight = c.callAsync("Echo", "Block", b("late"), byte[].class, CallOptions.NONE);
            while (echo.calls.get() == 0) {
                Thread.sleep(5);
            }
            CompletableFuture<Void> done = server.shutdown(Duration.ofSeconds(10));
            TransportException refused = assertThrows(TransportException.class, () -> c.call("Echo", "Echo", b("x"), byte[].class));
            assertTrue(refused.getMessage().contains("shutting down"), refused.getMessage());
            Message raw = c.sendRaw(Message.request(0, "Echo", "Echo", 0, Map.of(), b("x"))).join();
            assertEquals(Server.SHUTTING_DOWN, raw.errorMessage(), "the wire carries the error text, as a Go client sees it");
            assertFalse(done.isDone());
            echo.release.countDown();
            assertArrayEquals(b("late"), inFlight.get(5, TimeUnit.SECONDS));
            done.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void largePayloadsAreGzippedAboveTheThresholdAndInflatedBack() {
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i % 13);
        }
        // reports how the request arrived on the wire, and answers with as many bytes as it got
        server.addHandler("Wire", "Shape", hc -> {
            Message req = hc.call().request();
            hc.call().setResponseMetadata("compress", Integer.toString(req.compressType()))
                    .setResponseMetadata("wireLength", Integer.toString(req.payloadLength()));
            hc.write(hc.payload());
        });
        try (Client c = Client.connect(address, RAW.withCompressType(CompressType.GZIP))) {
            Response<byte[]> r = c.invoke("Wire", "Shape", big, byte[].class, CallOptions.NONE);
            assertArrayEquals(big, r.value());
            assertEquals("1", r.metadata().get("compress"), "args over 1024 bytes travel gzipped");
            assertTrue(Integer.parseInt(r.metadata().get("wireLength")) < big.length / 10, r.metadata().toString());
            Message gz = c.sendRaw(Message.request(0, "Echo", "Echo", 0, Map.of(), rpcx.api.internal.CodecSet.load()
                    .compressor(CompressType.GZIP).compress(big)).withCompressType(CompressType.GZIP)).join();
            assertEquals(CompressType.GZIP, gz.compressType(), "a gzip request gets a gzip reply over 1024 bytes");
            assertTrue(gz.payloadLength() < big.length / 10);
            Response<byte[]> small = c.invoke("Wire", "Shape", b("tiny"), byte[].class, CallOptions.NONE);
            assertEquals("0", small.metadata().get("compress"), "small args are not compressed");
        }
        try (Client c = Client.connect(address, RAW)) {
            Message res = c.sendRaw(Message.request(0, "Echo", "Echo", 0, Map.of(), big)).join();
            assertEquals(0, res.compressType(), "uncompressed request gets an uncompressed reply");
        }
    }

    @Test
    void registrationErrorsAreClear() {
        RpcConfigurationException none = assertThrows(RpcConfigurationException.class, () -> server.register("Bad", new Object() {
            @SuppressWarnings("unused")
            public void nothing() {
            }
        }));
        assertTrue(none.getMessage().contains("no public methods of suitable type"), none.getMessage());
        RpcConfigurationException dup = assertThrows(RpcConfigurationException.class, () -> server.register(new Echo()));
        assertTrue(dup.getMessage().contains("already registered"), dup.getMessage());
    }

    @Test
    void missingProvidersNameTheModuleToAdd() {
        RpcConfigurationException codec = assertThrows(RpcConfigurationException.class,
                () -> Client.connect(address, ClientOptions.defaults()).call("Echo", "Echo", b("x"), byte[].class));
        assertEquals("no codec for SerializeType 3 (msgpack): add module rpcx.codec.msgpack to the client's module path", codec.getMessage());
        RpcConfigurationException net = assertThrows(RpcConfigurationException.class, () -> Client.connect("quic@127.0.0.1:1", RAW));
        assertTrue(net.getMessage().contains("add module rpcx.transport.quic"), net.getMessage());
    }

    @Test
    void serverAnswersAMissingCodecWithAnErrorNamingTheModule() {
        try (Client c = Client.connect(address, RAW)) {
            Message res = c.sendRaw(Message.request(0, "Echo", "Echo", 4, Map.of(), b("x"))).join();
            assertTrue(res.isError());
            assertEquals("can not find codec for 4 (thrift): add module rpcx.codec.thrift to the server's module path", res.errorMessage());
        }
    }

    @Test
    void xclientFailsOverAcrossServersAndSkipsInactiveOnes() {
        try (Server second = Server.create()) {
            Echo other = new Echo();
            second.register(other);
            String address2 = second.listen("memu", "");
            MultipleServersDiscovery d = new MultipleServersDiscovery(List.of(
                    new ServerNode("memu@nowhere-" + System.nanoTime(), ""), new ServerNode(address, "state=inactive"),
                    new ServerNode(address2, "")));
            try (XClient x = XClient.create("Echo", FailMode.FAILOVER, SelectMode.ROUND_ROBIN, d, RAW.withRetries(5))) {
                assertEquals(2, x.servers().size());
                for (int i = 0; i < 6; i++) {
                    Response<byte[]> r = x.invoke("Echo", b("p"), byte[].class, CallOptions.NONE);
                    assertEquals(address2, r.server());
                }
                assertEquals(0, echo.calls.get(), "an inactive server is never called");
                d.update(List.of(new ServerNode(address, "")));
                assertEquals(address, x.invoke("Echo", b("p"), byte[].class, CallOptions.NONE).server());
            }
        }
    }

    @Test
    void xclientFailfastReportsTheFirstErrorAndFailtryStaysOnOneServer() {
        String dead = "memu@dead-" + System.nanoTime();
        try (XClient fast = XClient.create("Echo", FailMode.FAILFAST, SelectMode.RANDOM_SELECT,
                new Peer2PeerDiscovery(dead, ""), RAW)) {
            assertThrows(TransportException.class, () -> fast.call("Echo", b("x"), byte[].class));
        }
        AtomicInteger dials = new AtomicInteger();
        try (XClient tryer = XClient.create("Echo", FailMode.FAILTRY, SelectMode.RANDOM_SELECT,
                new Peer2PeerDiscovery(dead, ""), RAW.withRetries(2).withReconnectBackoff(java.time.Duration.ZERO, java.time.Duration.ZERO)
                        .withBreaker(() -> new rpcx.api.spi.CircuitBreaker() {
                    @Override
                    public boolean ready() {
                        return true;
                    }

                    @Override
                    public void success() {
                    }

                    @Override
                    public void fail() {
                        dials.incrementAndGet();
                    }
                }))) {
            assertThrows(TransportException.class, () -> tryer.call("Echo", b("x"), byte[].class));
            assertEquals(3, dials.get(), "Failtry makes retries + 1 attempts, each a dial without a reconnect backoff (as Go)");
        }
        try (XClient x = XClient.create("Echo", FailMode.FAILTRY, SelectMode.RANDOM_SELECT,
                new Peer2PeerDiscovery(address, ""), RAW)) {
            assertThrows(ServiceException.class, () -> x.call("Fail", b("x"), byte[].class));
            assertArrayEquals(b("ok"), x.call("Echo", b("ok"), byte[].class));
        }
    }

    @Test
    void consecutiveBreakerOpensAfterDialFailures() {
        String dead = "memu@dead-" + System.nanoTime();
        var breakers = Providers.breaker("consecutive");
        try (XClient x = XClient.create("Echo", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, new Peer2PeerDiscovery(dead, ""),
                RAW.withReconnectBackoff(java.time.Duration.ZERO, java.time.Duration.ZERO)
                        .withBreaker(() -> breakers.create(Map.of("failureThreshold", "2", "window", "PT30S"))))) {
            assertThrows(TransportException.class, () -> x.call("Echo", b("x"), byte[].class));
            assertThrows(TransportException.class, () -> x.call("Echo", b("x"), byte[].class));
            BreakerOpenException open = assertThrows(BreakerOpenException.class, () -> x.call("Echo", b("x"), byte[].class));
            assertEquals(RpcException.Kind.BREAKER_OPEN, open.kind());
        }
    }

    @Test
    void noServerLeftIsATypedError() {
        try (XClient x = XClient.create("Echo", FailMode.FAILTRY, SelectMode.RANDOM_SELECT,
                new MultipleServersDiscovery(List.of(new ServerNode(address, "state=inactive"))), RAW)) {
            NoServerAvailableException e = assertThrows(NoServerAvailableException.class, () -> x.call("Echo", b("x"), byte[].class));
            assertTrue(e.getMessage().contains("can not found any server"), e.getMessage());
        }
        try (XClient x = XClient.create("Echo", FailMode.FAILTRY, SelectMode.RANDOM_SELECT,
                new MultipleServersDiscovery(List.of(new ServerNode(address, ""), new ServerNode(address + "x", "group=Member"),
                        new ServerNode(address + "y", "group=a&group=Member&weight=3"))),
                RAW.withGroup("Member"))) {
            assertEquals(java.util.Set.of(address + "x", address + "y"), x.servers().keySet());
        }
        // Go skips both filters when url.ParseQuery fails on the metadata
        try (XClient x = XClient.create("Echo", FailMode.FAILTRY, SelectMode.RANDOM_SELECT,
                new MultipleServersDiscovery(List.of(new ServerNode(address, "state=inactive;x=1"),
                        new ServerNode(address + "z", "state=inactive&bad=%zz"))), RAW)) {
            assertEquals(2, x.servers().size());
        }
    }

    @Test
    void clientHeartbeatsAreSentLikeGosAndAnsweredByTheServer() throws Exception {
        LinkedBlockingQueue<Message> seen = new LinkedBlockingQueue<>();
        try (Transport t = Providers.transport("memu").create(TransportConfig.DEFAULT)) {
            // a peer that records heartbeats and never answers them
            String silent = "memu@" + t.listen("memu", "", new ConnectionHandler() {
                @Override
                public void onMessage(Connection connection, Message message) {
                    seen.add(message);
                }
            }).join().localAddress();
            Client c = Client.connect(silent, RAW.withHeartbeat(Duration.ofMillis(50)).withMaxWaitForHeartbeat(Duration.ofMillis(300)));
            Message hb = seen.poll(5, TimeUnit.SECONDS);
            assertTrue(hb.isHeartbeat() && !hb.isResponse(), hb.toString());
            assertEquals(SerializeType.MSGPACK, hb.serializeType());
            assertEquals("", hb.servicePath());
            assertEquals(9, hb.payloadLength());
            assertEquals((byte) 0xd3, hb.payload()[0], "msgpack int64 of UnixNano, as Go sends");
            c.closeFuture().get(5, TimeUnit.SECONDS); // no echo within maxWaitForHeartbeat: the client closes
            assertFalse(c.isOpen());
        }
        try (Client c = Client.connect(address, RAW.withHeartbeat(Duration.ofMillis(50)).withMaxWaitForHeartbeat(Duration.ofSeconds(3)))) {
            Thread.sleep(800);
            assertTrue(c.isOpen(), "the server echoes heartbeats, so the connection stays");
            assertArrayEquals(b("x"), c.call("Echo", "Echo", b("x"), byte[].class));
        }
    }

    @Test
    void idleTimeoutClosesASilentConnectionButSendsKeepItOpenAsInGo() throws Exception {
        try (Transport t = Providers.transport("memu").create(TransportConfig.DEFAULT)) {
            String silent = "memu@" + t.listen("memu", "", (connection, message) -> {
            }).join().localAddress();
            ClientOptions idle = RAW.withIdleTimeout(Duration.ofMillis(1000));
            Client quiet = Client.connect(silent, idle);
            quiet.closeFuture().get(10, TimeUnit.SECONDS);
            assertFalse(quiet.isOpen());
            try (Client busy = Client.connect(silent, idle)) {
                for (int i = 0; i < 25; i++) { // 2.5 s of oneway sends, never an answer
                    busy.oneway("S", "M", b("x"), CallOptions.NONE).join();
                    Thread.sleep(100);
                }
                assertTrue(busy.isOpen(), "sends count as activity, as Go re-arms the deadline on every send");
            }
        }
    }

    @Test
    void aReplyOverTheMaximumBecomesAnErrorReply() {
        try (Server small = Server.create(ServerOptions.defaults().withMaxMessageLength(64 * 1024))) {
            small.addHandler("Big", "Reply", hc -> hc.write(new byte[100_000]));
            String a = small.listen("memu", "");
            try (Client c = Client.connect(a, RAW)) {
                ServiceException e = assertThrows(ServiceException.class,
                        () -> c.call("Big", "Reply", b(""), byte[].class, CallOptions.timeout(Duration.ofSeconds(5))));
                assertTrue(e.getMessage().contains("exceeds the server's maximum message size"), e.getMessage());
            }
        }
    }

    @Test
    void aHandlerWhoseReplyCannotBeEncodedAnswersWithAnError() {
        server.addHandler("Bad", "Write", hc -> hc.write("not bytes"));
        try (Client c = Client.connect(address, RAW)) {
            ServiceException e = assertThrows(ServiceException.class,
                    () -> c.call("Bad", "Write", b(""), byte[].class, CallOptions.timeout(Duration.ofSeconds(5))));
            assertTrue(e.getMessage().contains("raw codec"), e.getMessage());
        }
    }

    @Test
    void cancellingAnAsyncCallFreesItsSlot() throws Exception {
        try (Client c = Client.connect(address, RAW)) {
            CompletableFuture<byte[]> call = c.callAsync("Echo", "Block", b("x"), byte[].class, CallOptions.NONE);
            while (echo.calls.get() == 0) {
                Thread.sleep(5);
            }
            assertEquals(1, c.pendingCalls());
            call.cancel(false);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (c.pendingCalls() != 0 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertEquals(0, c.pendingCalls());
            echo.release.countDown();
        }
    }

    /** A service that overrides Object's methods: those are never exposed. */
    public static final class WithObjectMethods {
        public byte[] ping(byte[] in) {
            return in;
        }

        @Override
        public boolean equals(Object o) {
            return o == this;
        }

        @Override
        public int hashCode() {
            return 1;
        }

        @Override
        public String toString() {
            return "svc";
        }
    }

    @Test
    void objectMethodsAreNeverExposed() {
        server.register(new WithObjectMethods());
        assertEquals(List.of("Ping"), server.methods("WithObjectMethods"));
    }

    @Test
    void aConnectionThatFloodsRequestsIsPausedAtTheLimitAndServedInFull() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (Server limited = Server.create(ServerOptions.defaults().withMaxPendingPerConnection(8))) {
            limited.addHandler("Slow", "Call", hc -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                release.await(10, TimeUnit.SECONDS);
                running.decrementAndGet();
                hc.write(hc.payload());
            });
            String a = limited.listen("memu", "");
            try (Client c = Client.connect(a, RAW)) {
                List<CompletableFuture<byte[]>> calls = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    calls.add(c.callAsync("Slow", "Call", new byte[] {(byte) i}, byte[].class, CallOptions.NONE));
                }
                Thread.sleep(500);
                assertTrue(running.get() <= 8, "at most the limit runs while the connection is paused: " + running.get());
                release.countDown();
                for (int i = 0; i < 50; i++) {
                    assertEquals(i, calls.get(i).get(10, TimeUnit.SECONDS)[0]);
                }
                assertTrue(maxRunning.get() <= 8, "max running " + maxRunning.get());
            }
        }
    }

    @Test
    void failbackupSendsABackupRequestToAnotherServerWhenTheFirstIsSlow() {
        try (Server slow = Server.create(); Server fast = Server.create()) {
            slow.addHandler("Who", "Am", hc -> {
                Thread.sleep(6000);
                hc.write(b("slow"));
            });
            fast.addHandler("Who", "Am", hc -> hc.write(b("fast")));
            String a = slow.listen("memu", "");
            String f = fast.listen("memu", "");
            // round robin over sorted addresses: the first attempt goes to the lower address
            String first = a.compareTo(f) < 0 ? a : f;
            assertEquals(a, first, "memu names are numbered in creation order");
            try (XClient x = XClient.create("Who", FailMode.FAILBACKUP, SelectMode.ROUND_ROBIN,
                    new MultipleServersDiscovery(List.of(ServerNode.of(a), ServerNode.of(f))), RAW)) {
                long t0 = System.nanoTime();
                Response<byte[]> r = x.invoke("Am", b(""), byte[].class, CallOptions.timeout(Duration.ofSeconds(10)));
                assertEquals("fast", new String(r.value(), StandardCharsets.UTF_8));
                assertEquals(f, r.server());
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "the backup answered before the slow server");
            }
        }
    }

    @Test
    void xclientOnewayReachesTheServerWithTheOnewayBitAndGetsNoReply() throws Exception {
        LinkedBlockingQueue<Message> got = new LinkedBlockingQueue<>();
        server.addHandler("One", "Way", hc -> got.add(hc.call().request()));
        try (XClient x = XClient.create("One", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, new Peer2PeerDiscovery(address, ""), RAW)) {
            x.oneway("Way", b("fire"), CallOptions.NONE.withMetadata("k", "v")).get(5, TimeUnit.SECONDS);
            Message m = got.poll(5, TimeUnit.SECONDS);
            assertTrue(m.isOneway());
            assertEquals("v", m.metadata().get("k"));
            assertArrayEquals(b("fire"), m.payload());
        }
    }

    @Test
    void aServerRemovedByDiscoveryFinishesItsInFlightCalls() throws Exception {
        MultipleServersDiscovery d = new MultipleServersDiscovery(List.of(ServerNode.of(address)));
        try (XClient x = XClient.create("Echo", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, d, RAW)) {
            CompletableFuture<byte[]> inFlight = x.callAsync("Block", b("kept"), byte[].class, CallOptions.NONE);
            while (echo.calls.get() == 0) {
                Thread.sleep(5);
            }
            d.update(List.of());
            assertThrows(NoServerAvailableException.class, () -> x.call("Echo", b("x"), byte[].class));
            echo.release.countDown();
            assertArrayEquals(b("kept"), inFlight.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void gracefulShutdownMakesFailoverMoveToAnotherServer() throws Exception {
        try (Server other = Server.create()) {
            other.register(new Echo());
            String a2 = other.listen("memu", "");
            try (XClient x = XClient.create("Echo", FailMode.FAILOVER, SelectMode.ROUND_ROBIN,
                    new MultipleServersDiscovery(List.of(ServerNode.of(address), ServerNode.of(a2))), RAW)) {
                CompletableFuture<byte[]> blocked = x.callAsync("Block", b("x"), byte[].class, CallOptions.NONE);
                while (echo.calls.get() == 0) {
                    Thread.sleep(5);
                }
                server.shutdown(Duration.ofSeconds(10));
                for (int i = 0; i < 4; i++) {
                    assertEquals(a2, x.invoke("Echo", b("y"), byte[].class, CallOptions.NONE).server());
                }
                echo.release.countDown();
                blocked.get(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void xclientAuthSendsTheToken() {
        server.addHandler("Auth", "Token", hc -> hc.write(b(String.valueOf(hc.call().authToken()))));
        try (XClient x = XClient.create("Auth", FailMode.FAILFAST, SelectMode.RANDOM_SELECT,
                new Peer2PeerDiscovery(address, ""), RAW).auth("bearer abc")) {
            assertArrayEquals(b("bearer abc"), x.call("Token", b(""), byte[].class));
        }
    }
}
