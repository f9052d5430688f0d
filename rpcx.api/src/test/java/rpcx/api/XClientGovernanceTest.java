package rpcx.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import rpcx.api.internal.Providers;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.CircuitBreaker;
import rpcx.api.spi.Connection;
import rpcx.api.spi.ConnectionHandler;
import rpcx.api.spi.Listener;
import rpcx.api.spi.SelectContext;
import rpcx.api.spi.Selector;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;

/**
 * Client governance over the in-memory transport: reconnect backoff and skipping of unusable servers, breakers fed
 * by call results, sticky selection, Broadcast/Fork/Inform, OneClient, pools, client plugins and server pushes.
 */
class XClientGovernanceTest {
    private static final ClientOptions RAW = ClientOptions.defaults().withSerializeType(SerializeType.NONE);

    /** Answers with the name of its server; {@code Fail} fails when told to; {@code Slow} sleeps. */
    public static final class Who {
        final String name;
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicInteger calls = new AtomicInteger();

        Who(String name) {
            this.name = name;
        }

        public byte[] name(byte[] in) {
            calls.incrementAndGet();
            return name.getBytes(StandardCharsets.UTF_8);
        }

        public byte[] maybe(byte[] in) {
            calls.incrementAndGet();
            if (failing.get()) {
                throw new ServiceException(name + " refuses");
            }
            return name.getBytes(StandardCharsets.UTF_8);
        }

        public byte[] slow(byte[] in) throws InterruptedException {
            calls.incrementAndGet();
            Thread.sleep(in.length == 0 ? 0 : in[0] * 10L);
            return name.getBytes(StandardCharsets.UTF_8);
        }
    }

    private final List<Server> servers = new ArrayList<>();
    private final List<Who> services = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private String start(String name) {
        Server s = Server.create();
        Who who = new Who(name);
        s.register("Who", who, "");
        servers.add(s);
        services.add(who);
        return s.listen("memu", "");
    }

    private static String dead() {
        return "memu@dead-" + System.nanoTime();
    }

    private static MultipleServersDiscovery discovery(String... addresses) {
        List<ServerNode> nodes = new ArrayList<>();
        for (String a : addresses) {
            nodes.add(new ServerNode(a, ""));
        }
        return new MultipleServersDiscovery(nodes);
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    @AfterEach
    void stop() throws Exception {
        Collections.reverse(closeables);
        for (AutoCloseable c : closeables) {
            c.close();
        }
        servers.forEach(Server::close);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Counts connection events. */
    static final class Events implements ClientPlugin {
        final List<String> log = new CopyOnWriteArrayList<>();

        @Override
        public void connectionCreated(String address) {
            log.add("created " + address);
        }

        @Override
        public void connectionFailed(String address, Throwable error) {
            log.add("failed " + address);
        }

        @Override
        public void connectionClosed(String address) {
            log.add("closed " + address);
        }

        long count(String prefix) {
            return log.stream().filter(l -> l.startsWith(prefix)).count();
        }
    }

    @Test
    void aFailedDialIsNotRetriedBeforeTheBackoffAndTheBackoffDoubles() throws Exception {
        Events events = new Events();
        String dead = dead();
        XClient x = closeLater(XClient.create("Who", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, discovery(dead),
                RAW.withReconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(5)).withPlugin(events)));
        assertThrows(TransportException.class, () -> x.call("Name", new byte[0], byte[].class));
        TransportException waiting = assertThrows(TransportException.class, () -> x.call("Name", new byte[0], byte[].class));
        assertTrue(waiting.getMessage().contains("dialled again in"), waiting.getMessage());
        assertEquals(1, events.count("failed"), "no second dial inside the backoff");
        Thread.sleep(250);
        assertThrows(TransportException.class, () -> x.call("Name", new byte[0], byte[].class));
        assertEquals(2, events.count("failed"), "dialled again once the backoff passed");
        Thread.sleep(250); // the second backoff is 400 ms
        TransportException doubled = assertThrows(TransportException.class, () -> x.call("Name", new byte[0], byte[].class));
        assertTrue(doubled.getMessage().contains("dialled again in"), doubled.getMessage());
        assertEquals(2, events.count("failed"));
    }

    @Test
    void serversInBackoffAreSkippedWhileOthersAreLeft() {
        String live = start("live");
        String dead = dead();
        try (XClient x = XClient.create("Who", FailMode.FAILFAST, SelectMode.ROUND_ROBIN, discovery(dead, live), RAW)) {
            int failures = 0;
            for (int i = 0; i < 50; i++) {
                try {
                    assertEquals("live", text(x.call("Name", new byte[0], byte[].class)));
                } catch (TransportException e) {
                    failures++;
                }
            }
            assertEquals(1, failures, "only the first call reaches the dead server; then it is skipped");
        }
    }

    @Test
    void callResultsFeedTheBreakerButServiceErrorsDoNot() {
        String a = start("a");
        Who who = services.get(0);
        Supplier2 breakers = new Supplier2();
        try (XClient x = XClient.create("Who", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, discovery(a),
                RAW.withBreaker(breakers))) {
            who.failing.set(true);
            for (int i = 0; i < 5; i++) {
                assertThrows(ServiceException.class, () -> x.call("Maybe", new byte[0], byte[].class));
            }
            assertEquals(0, breakers.last.fails.get(), "a service error says the server is healthy");
            assertEquals(5, breakers.last.successes.get());
            CallOptions fast = CallOptions.timeout(Duration.ofMillis(30));
            assertThrows(RpcTimeoutException.class, () -> x.call("Slow", new byte[] {20}, byte[].class, fast));
            assertEquals(1, breakers.last.fails.get(), "a timeout feeds the breaker");
        }
        try (XClient goLike = XClient.create("Who", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, discovery(a),
                RAW.withBreaker(breakers).withBreakerCountingCalls(false))) {
            CallOptions fast = CallOptions.timeout(Duration.ofMillis(30));
            assertThrows(RpcTimeoutException.class, () -> goLike.call("Slow", new byte[] {20}, byte[].class, fast));
            assertEquals(0, breakers.last.fails.get(), "Go's wiring: only dial failures feed the breaker");
        }
    }

    /** Creates counting breakers that never open. */
    static final class Supplier2 implements java.util.function.Supplier<CircuitBreaker> {
        volatile Counting last;

        @Override
        public CircuitBreaker get() {
            last = new Counting();
            return last;
        }
    }

    static final class Counting implements CircuitBreaker {
        final AtomicInteger fails = new AtomicInteger();
        final AtomicInteger successes = new AtomicInteger();

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public void success() {
            successes.incrementAndGet();
        }

        @Override
        public void fail() {
            fails.incrementAndGet();
        }
    }

    @Test
    void anOpenBreakerIsSkippedAndBreakerOpenIsReportedWhenNoneIsLeft() {
        String a = start("a");
        String b = start("b");
        CircuitBreaker open = new CircuitBreaker() {
            @Override
            public boolean ready() {
                return false;
            }

            @Override
            public void success() {
            }

            @Override
            public void fail() {
            }

            @Override
            public State state() {
                return State.OPEN;
            }
        };
        // the breaker of whichever server is asked first is open, the other's is closed
        AtomicInteger made = new AtomicInteger();
        try (XClient x = XClient.create("Who", FailMode.FAILFAST, SelectMode.ROUND_ROBIN, discovery(a, b),
                RAW.withBreaker(() -> made.getAndIncrement() == 0 ? open : new Counting()))) {
            Set<String> answered = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                try {
                    answered.add(text(x.call("Name", new byte[0], byte[].class)));
                } catch (BreakerOpenException e) {
                    answered.add("open");
                }
            }
            assertEquals(1, answered.size() - (answered.contains("open") ? 1 : 0), answered.toString());
        }
        try (XClient x = XClient.create("Who", FailMode.FAILFAST, SelectMode.ROUND_ROBIN, discovery(a),
                RAW.withBreaker(() -> open))) {
            assertThrows(BreakerOpenException.class, () -> x.call("Name", new byte[0], byte[].class));
        }
    }

    @Test
    void aThirdPartySelectorIsChosenByItsProviderName() {
        String a = start("a");
        String b = start("b");
        String last = a.compareTo(b) > 0 ? "a" : "b";
        try (XClient x = XClient.builder("Who").failMode(FailMode.FAILFAST).selectorProvider("test-last")
                .discovery(discovery(a, b)).options(RAW).build()) {
            for (int i = 0; i < 5; i++) {
                assertEquals(last, text(x.call("Name", new byte[0], byte[].class)));
            }
        }
        RpcConfigurationException missing = assertThrows(RpcConfigurationException.class, () -> XClient.builder("Who")
                .selectorProvider("no-such").discovery(discovery(a)).options(RAW).build());
        assertTrue(missing.getMessage().contains("no selector named 'no-such'"), missing.getMessage());
    }

    @Test
    void stickyKeepsOneServerUntilItGoesAway() {
        String a = start("a");
        String b = start("b");
        String c = start("c");
        MultipleServersDiscovery d = discovery(a, b, c);
        try (XClient x = XClient.create("Who", FailMode.FAILOVER, SelectMode.ROUND_ROBIN, d, RAW.withSticky(true))) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                seen.add(text(x.call("Name", new byte[0], byte[].class)));
            }
            assertEquals(1, seen.size(), "sticky: " + seen);
            String first = seen.iterator().next();
            String firstAddress = first.equals("a") ? a : first.equals("b") ? b : c;
            List<ServerNode> rest = new ArrayList<>();
            for (String addr : List.of(a, b, c)) {
                if (!addr.equals(firstAddress)) {
                    rest.add(new ServerNode(addr, ""));
                }
            }
            d.update(rest);
            Set<String> after = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                after.add(text(x.call("Name", new byte[0], byte[].class)));
            }
            assertEquals(1, after.size(), "sticky again: " + after);
            assertNotEquals(first, after.iterator().next());
        }
        try (XClient x = XClient.create("Who", FailMode.FAILOVER, SelectMode.ROUND_ROBIN, discovery(a, b, c), RAW)) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                seen.add(text(x.call("Name", new byte[0], byte[].class)));
            }
            assertEquals(3, seen.size(), "not sticky: round robin visits all");
        }
    }

    @Test
    void forkReturnsTheFirstSuccessAndFailsOnlyWhenAllFail() {
        String a = start("a");
        String b = start("b");
        services.get(0).failing.set(true);
        try (XClient x = XClient.create("Who", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, discovery(a, b, dead()), RAW)) {
            assertEquals("b", text(x.fork("Maybe", new byte[0], byte[].class, CallOptions.NONE)));
            services.get(1).failing.set(true);
            ServiceException all = assertThrows(ServiceException.class, () -> x.fork("Maybe", new byte[0], byte[].class, CallOptions.NONE));
            assertEquals(1, all.getSuppressed().length, "both errors are reported");
        }
    }

    @Test
    void broadcastNeedsEveryReachableServerAndFailsOnTheFirstError() {
        String a = start("a");
        String b = start("b");
        try (XClient x = XClient.create("Who", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, discovery(a, b, dead()), RAW)) {
            String reply = text(x.broadcast("Maybe", new byte[0], byte[].class, CallOptions.NONE));
            assertTrue(reply.equals("a") || reply.equals("b"), reply);
            assertEquals(1, services.get(0).calls.get(), "every server is called");
            assertEquals(1, services.get(1).calls.get());
            services.get(1).failing.set(true);
            ServiceException e = assertThrows(ServiceException.class, () -> x.broadcast("Maybe", new byte[0], byte[].class, CallOptions.NONE));
            assertEquals("b refuses", e.getMessage());
            // honours the deadline
            long t0 = System.nanoTime();
            assertThrows(RpcTimeoutException.class, () -> x.broadcast("Slow", new byte[] {100}, byte[].class,
                    CallOptions.timeout(Duration.ofMillis(100))));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "returned at the deadline, not after the slow call");
        }
        try (XClient none = XClient.create("Who", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, discovery(dead()), RAW)) {
            assertThrows(NoServerAvailableException.class, () -> none.broadcast("Name", new byte[0], byte[].class, CallOptions.NONE));
        }
    }

    @Test
    void informReturnsEveryReceipt() {
        String a = start("a");
        String b = start("b");
        services.get(0).failing.set(true);
        try (XClient x = XClient.create("Who", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, discovery(a, b), RAW)) {
            List<Receipt<byte[]>> receipts = x.inform("Maybe", new byte[0], byte[].class, CallOptions.NONE);
            assertEquals(2, receipts.size());
            Receipt<byte[]> ra = receipts.stream().filter(r -> r.address().equals(a)).findFirst().orElseThrow();
            Receipt<byte[]> rb = receipts.stream().filter(r -> r.address().equals(b)).findFirst().orElseThrow();
            assertFalse(ra.ok());
            assertInstanceOf(ServiceException.class, ra.error());
            assertNull(ra.reply());
            assertTrue(rb.ok());
            assertEquals("b", text(rb.reply()));
        }
    }

    @Test
    void oneClientServesManyServicesWithOneXClientEach() {
        Server s = Server.create();
        servers.add(s);
        s.register("Who", new Who("who"), "");
        s.register("Other", new Who("other"), "");
        String addr = s.listen("memu", "");
        Events events = new Events();
        try (OneClient one = OneClient.create(FailMode.FAILOVER, SelectMode.ROUND_ROBIN, discovery(addr), RAW.withPlugin(events))) {
            assertEquals("who", text(one.call("Who", "Name", new byte[0], byte[].class)));
            assertEquals("other", text(one.call("Other", "Name", new byte[0], byte[].class)));
            assertEquals("who", text(one.call("Who", "Name", new byte[0], byte[].class)));
            assertEquals(2, events.count("created"), "one XClient, so one connection, per service");
            assertTrue(one.xclient("Who") == one.xclient("Who"));
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (events.count("closed") < 2 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertEquals(2, events.count("closed"), "closing the OneClient closes its connections (reported off the caller's thread)");
    }

    @Test
    void poolsHandOutTheirClientsInTurnEachWithItsOwnConnection() {
        String a = start("a");
        Events events = new Events();
        try (XClientPool<XClient> pool = XClientPool.ofXClients(3, "Who", FailMode.FAILTRY, SelectMode.RANDOM_SELECT,
                discovery(a), RAW.withPlugin(events))) {
            Set<XClient> handed = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (int i = 0; i < 6; i++) {
                XClient x = pool.get();
                handed.add(x);
                assertEquals("a", text(x.call("Name", new byte[0], byte[].class)));
            }
            assertEquals(3, handed.size());
            assertEquals(3, events.count("created"), "three clients, three connections to the one server");
        }
        try (XClientPool<OneClient> pool = XClientPool.ofOneClients(2, FailMode.FAILTRY, SelectMode.RANDOM_SELECT,
                discovery(a), RAW)) {
            assertEquals("a", text(pool.get().call("Who", "Name", new byte[0], byte[].class)));
            assertTrue(pool.get() != pool.get());
        }
        assertThrows(IllegalArgumentException.class, () -> XClientPool.of(0, i -> (AutoCloseable) () -> { }));
    }

    @Test
    void pluginsSeeEveryHookInOrder() {
        String a = start("a");
        String b = start("b");
        List<String> log = new CopyOnWriteArrayList<>();
        ClientPlugin first = new ClientPlugin() {
            @Override
            public void preCall(String servicePath, String method, Object args) {
                log.add("pre " + servicePath + "." + method);
            }

            @Override
            public void postCall(String servicePath, String method, Object args, Object reply, Throwable error) {
                log.add("post " + (error == null ? text((byte[]) reply) : error.getClass().getSimpleName()));
            }

            @Override
            public Message beforeSend(Message request) {
                Map<String, String> meta = new java.util.HashMap<>(request.metadata());
                meta.put("plugin", "1");
                log.add("send");
                return request.withMetadata(meta);
            }

            @Override
            public Message afterReceive(Message response) {
                log.add("receive " + response.serviceMethod());
                return response;
            }

            @Override
            public Selector wrapSelector(Selector selector) {
                return new Selector() { // always the server named b
                    @Override
                    public String select(SelectContext context) {
                        selector.select(context);
                        return b;
                    }

                    @Override
                    public void updateServers(Map<String, String> s) {
                        selector.updateServers(s);
                    }
                };
            }
        };
        ClientPlugin second = new ClientPlugin() {
            @Override
            public void preCall(String servicePath, String method, Object args) {
                log.add("pre2");
                if (((byte[]) args).length > 0) {
                    throw new RpcCancelledException("refused by plugin");
                }
            }
        };
        try (XClient x = XClient.create("Who", FailMode.FAILOVER, SelectMode.RANDOM_SELECT, discovery(a, b),
                RAW.withPlugin(first).withPlugin(second))) {
            for (int i = 0; i < 3; i++) {
                assertEquals("b", text(x.call("Name", new byte[0], byte[].class)));
            }
            assertEquals(List.of("pre Who.Name", "pre2", "send", "receive Name", "post b"), log.subList(0, 5));
            log.clear();
            RpcCancelledException refused = assertThrows(RpcCancelledException.class, () -> x.call("Name", new byte[] {1}, byte[].class));
            assertEquals("refused by plugin", refused.getMessage());
            assertEquals(List.of("pre Who.Name", "pre2"), log, "a refused attempt gets no postCall, as in Go");
            assertEquals(0, services.get(0).calls.get(), "wrapSelector sent every call to b");
        }
    }

    @Test
    void serverPushesReachTheHandlerInOrder() throws Exception {
        // a raw in-memory server that answers each request and pushes three oneway requests first
        Transport t = Providers.transport("memu").create(TransportConfig.DEFAULT);
        closeables.add(t::close);
        Listener l = t.listen("memu", "", new ConnectionHandler() {
            @Override
            public void onMessage(Connection c, Message m) {
                for (int i = 0; i < 3; i++) {
                    c.send(Message.request(0, "Push", "Note", SerializeType.NONE, Map.of(), new byte[] {(byte) i}).withOneway(true));
                }
                c.send(m.toResponse().withPayload(new byte[] {42}));
            }

            @Override
            public void onError(Connection c, Throwable error) {
            }

            @Override
            public void onClose(Connection c) {
            }
        }).get(5, TimeUnit.SECONDS);
        List<Integer> pushed = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> three = new CompletableFuture<>();
        try (XClient x = XClient.create("Any", FailMode.FAILFAST, SelectMode.RANDOM_SELECT,
                new Peer2PeerDiscovery("memu@" + Server.formatAddress(l.localAddress()), ""), RAW.withServerMessageHandler(m -> {
                    pushed.add((int) m.payload()[0]);
                    if (pushed.size() == 3) {
                        three.complete(null);
                    }
                }))) {
            assertArrayEquals(new byte[] {42}, x.call("Call", new byte[0], byte[].class));
            three.get(5, TimeUnit.SECONDS);
            assertEquals(List.of(0, 1, 2), pushed);
        }
    }

    /**
     * ClientPlugin.exchange: a follower per exchange, made on the caller's thread for calls, may change the request (the
     * server sees the metadata it added) and hears each exchange's end with its reply, an error reply, or the error
     * of a call that got none; oneway calls end when written; heartbeats are not followed.
     */
    @Test
    void exchangeFollowersChangeRequestsAndHearEachEnd() throws Exception {
        String a = start("a");
        Server echoMeta = Server.create();
        echoMeta.registerFunction("Meta", "Get", byte[].class, (ctx, args) ->
                String.valueOf(ctx.requestMetadata("trace")).getBytes(StandardCharsets.UTF_8));
        servers.add(echoMeta);
        String m = echoMeta.listen("memu", "");
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch ends = new java.util.concurrent.CountDownLatch(4);
        ClientPlugin tracing = new ClientPlugin() {
            @Override
            public Exchange exchange(Message request) {
                String caller = Thread.currentThread().getName();
                Map<String, String> meta = new java.util.HashMap<>(request.metadata());
                meta.put("trace", "t-" + request.serviceMethod());
                Message changed = request.withMetadata(meta);
                return new Exchange() {
                    @Override
                    public Message request() {
                        return changed;
                    }

                    @Override
                    public void ended(Message response, Throwable error) {
                        log.add(request.servicePath() + "." + request.serviceMethod()
                                + (request.isOneway() ? "" : " on " + caller) + ": "
                                + (error != null ? error.getClass().getSimpleName()
                                : response == null ? "written" : response.isError() ? "error reply" : "reply"));
                        ends.countDown();
                    }
                };
            }
        };
        ClientOptions options = RAW.withPlugin(tracing).withHeartbeat(java.time.Duration.ofMillis(20));
        String caller = Thread.currentThread().getName();
        try (XClient meta = XClient.create("Meta", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, discovery(m), options);
             XClient who = XClient.create("Who", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, discovery(a), options)) {
            assertEquals("t-Get", text(meta.call("Get", new byte[0], byte[].class)), "the server saw the added metadata");
            services.get(0).failing.set(true);
            assertThrows(ServiceException.class, () -> who.call("Maybe", new byte[0], byte[].class));
            assertThrows(RpcTimeoutException.class, () -> who.call("Slow", new byte[] {50}, byte[].class,
                    CallOptions.timeout(java.time.Duration.ofMillis(50))));
            who.oneway("Name", new byte[0], CallOptions.NONE).get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(ends.await(5, java.util.concurrent.TimeUnit.SECONDS), "ends heard: " + log);
            Thread.sleep(100); // heartbeats go by meanwhile, unfollowed
            assertEquals(java.util.Set.of("Meta.Get on " + caller + ": reply", "Who.Maybe on " + caller + ": error reply",
                    "Who.Slow on " + caller + ": RpcTimeoutException", "Who.Name: written"),
                    new java.util.HashSet<>(log));
            assertEquals(4, log.size(), "one end per exchange, none for heartbeats: " + log);
        }
    }

    /** Broadcast, Fork and Inform wait at most one minute, as Go's {@code context.WithTimeout(ctx, time.Minute)}. */
    @Test
    void fanOutCallsAreCappedAtOneMinuteWhateverTheirTimeout() {
        assertEquals(Duration.ofMinutes(1), XClient.capped(CallOptions.NONE).timeout());
        assertEquals(Duration.ofMinutes(1), XClient.capped(CallOptions.timeout(Duration.ofMinutes(5))).timeout());
        assertEquals(Duration.ofSeconds(10), XClient.capped(CallOptions.timeout(Duration.ofSeconds(10))).timeout());
        CallOptions withMeta = CallOptions.timeout(Duration.ofHours(1)).withMetadata("k", "v");
        assertEquals("v", XClient.capped(withMeta).metadata().get("k"), "the rest of the options kept");
    }

    /** Failtry pauses {@code retryInterval} between attempts (Go's RetryInterval): four failed dials, three pauses at least. */
    @Test
    void failtryPausesTheRetryIntervalBetweenAttempts() {
        ClientOptions o = ClientOptions.defaults().withSerializeType(SerializeType.NONE).withRetries(3)
                .withRetryInterval(Duration.ofMillis(150))
                .withReconnectBackoff(Duration.ZERO, Duration.ZERO);
        try (XClient x = XClient.create("Nobody", FailMode.FAILTRY, SelectMode.RANDOM_SELECT,
                new Peer2PeerDiscovery("memu@no-such-server", ""), o)) {
            long start = System.nanoTime();
            assertThrows(RpcException.class, () -> x.call("M", new byte[0], byte[].class));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsedMs >= 3 * 150, "three pauses of 150 ms at least, took " + elapsedMs + " ms");
        }
    }
}
