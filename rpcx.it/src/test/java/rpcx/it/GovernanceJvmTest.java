package rpcx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import rpcx.api.BreakerOpenException;
import rpcx.api.CallOptions;
import rpcx.api.CircuitBreakers;
import rpcx.api.ClientOptions;
import rpcx.api.ClientPlugin;
import rpcx.api.FailMode;
import rpcx.api.MultipleServersDiscovery;
import rpcx.api.Response;
import rpcx.api.SelectMode;
import rpcx.api.ServerNode;
import rpcx.api.TransportException;
import rpcx.api.XClient;
import rpcx.api.spi.CircuitBreaker;
import rpcx.api.spi.SelectContext;
import rpcx.api.spi.Selector;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.Reply;
import rpcx.testkit.NettyLeakCheck;

/**
 * Service governance (fail modes, selectors, circuit breaker, resource hygiene) of {@link XClient} against real
 * member servers in separate JVMs that are killed (SIGKILL) or stopped (SIGSTOP) mid-run. Everything is on
 * 127.0.0.1; sized for a 2-core machine: server JVMs of a test start in parallel and are reused within it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GovernanceJvmTest {
    private static final String MODULE = "rpcx.examples.member";
    private static final String SERVER_MAIN = "rpcx.examples.member.cmd.MemberServer";
    private static final String SERVICE = "ServiceUser";
    private static final String METHOD = "UserInfo";

    // ---------------------------------------------------------------------------------------------------------
    // 1. Failover
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void failoverLosesNoCallWhenAServerIsKilledMidRun() throws Exception {
        int total = 3000;
        int killAfter = total / 3;
        int callers = 8;
        try (Servers servers = Servers.start(3)) {
            Counting plugin = new Counting();
            ClientOptions options = ClientOptions.defaults().withRetries(3).withPlugin(plugin);
            String victim = servers.address(0);
            Map<String, AtomicInteger> before = new ConcurrentHashMap<>();
            Map<String, AtomicInteger> after = new ConcurrentHashMap<>();
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            List<String> wrongReplies = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger next = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            CountDownLatch killNow = new CountDownLatch(1);
            // set once kill() returned: the process is gone, so no call *started* afterwards may be answered by it
            AtomicBoolean killed = new AtomicBoolean();
            try (XClient x = XClient.create(SERVICE, FailMode.FAILOVER, SelectMode.ROUND_ROBIN, servers.discovery(), options)) {
                ExecutorService pool = Executors.newFixedThreadPool(callers);
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < callers; t++) {
                    workers.add(pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                            boolean startedAfterKill = killed.get();
                            try {
                                Response<Reply> r = x.invoke(METHOD, new Args(i), Reply.class, CallOptions.NONE);
                                if (r.value().user().uid() != i) {
                                    wrongReplies.add(i + " -> " + r.value());
                                }
                                (startedAfterKill ? after : before).computeIfAbsent(r.server(), k -> new AtomicInteger()).incrementAndGet();
                            } catch (RuntimeException e) {
                                failures.add("call " + i + (startedAfterKill ? " (after the kill)" : "") + ": " + e);
                            }
                            if (done.incrementAndGet() == killAfter) {
                                killNow.countDown();
                            }
                        }
                    }));
                }
                try {
                    assertTrue(killNow.await(60, TimeUnit.SECONDS), "the first third of the calls did not finish");
                    servers.jvm(0).kill();
                    killed.set(true);
                    for (Future<?> w : workers) {
                        w.get(60, TimeUnit.SECONDS);
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
            int afterCalls = after.values().stream().mapToInt(AtomicInteger::get).sum();
            System.out.printf("failover: %d calls, before kill %s, after kill %s, failed attempts %d (of which dial failures %d), failures %d%n",
                    total, before, after, plugin.attemptErrors.sum() + plugin.dialFailures.sum(), plugin.dialFailures.sum(), failures.size());
            assertEquals(List.of(), failures, "FAILOVER with retries 3 must not lose a call while two of three servers are up");
            assertEquals(List.of(), wrongReplies);
            assertTrue(before.getOrDefault(victim, new AtomicInteger()).get() > 0, "the victim answered calls before the kill: " + before);
            assertEquals(0, after.getOrDefault(victim, new AtomicInteger()).get(), "a killed server answered a call: " + after);
            assertTrue(afterCalls >= total / 2, "calls kept flowing after the kill: " + after);
            for (int s = 1; s < 3; s++) {
                assertTrue(after.getOrDefault(servers.address(s), new AtomicInteger()).get() > 0, "survivor " + s + " served after the kill: " + after);
            }
            // failover had something to do: the dead server was still selected (round-robin) and an attempt failed
            assertTrue(plugin.attemptErrors.sum() + plugin.dialFailures.sum() >= 1, "no attempt failed: the kill was not noticed");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 2. Failfast
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void failfastFailsAtOnceWithOneAttempt() throws Exception {
        try (Servers servers = Servers.start(1)) {
            Counting plugin = new Counting();
            // retries 3 and no reconnect backoff: a mode that retried would re-send or re-dial, and the counts show it
            ClientOptions options = ClientOptions.defaults().withRetries(3)
                    .withReconnectBackoff(Duration.ZERO, Duration.ZERO).withPlugin(plugin);
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try (XClient x = XClient.create(SERVICE, FailMode.FAILFAST, SelectMode.ROUND_ROBIN, servers.discovery(), options)) {
                assertEquals(1, x.call(METHOD, new Args(1), Reply.class).user().uid());
                assertEquals(1, plugin.preCalls.sum());
                assertEquals(1, plugin.created.sum());

                // (a) a call in flight when the server dies: one attempt, no re-send, no re-dial
                servers.jvm(0).stop(); // hung but connected: the request is written, no reply comes
                Future<Reply> inFlight = caller.submit(() -> x.call(METHOD, new Args(2), Reply.class));
                awaitTrue(() -> plugin.preCalls.sum() == 2, 10, "the second call was not sent");
                Thread.sleep(100);
                assertTrue(!inFlight.isDone(), "the call is in flight while the server is stopped");
                servers.jvm(0).kill();
                ExecutionException e = assertThrows(ExecutionException.class, () -> inFlight.get(10, TimeUnit.SECONDS));
                assertInstanceOf(TransportException.class, e.getCause());
                assertEquals(2, plugin.preCalls.sum(), "FAILFAST sent the call once");
                assertEquals(1, plugin.attemptErrors.sum(), "one failed attempt");
                assertEquals(0, plugin.dialFailures.sum(), "FAILFAST did not re-dial to retry");
                assertEquals(1, plugin.created.sum());

                // (b) the next call: one dial, refused, and that is the end of it
                awaitTrue(() -> plugin.closed.sum() == 1, 10, "the connection close was not reported");
                long pre = plugin.preCalls.sum();
                long dials = plugin.dialFailures.sum();
                RuntimeException next = assertThrows(RuntimeException.class, () -> x.call(METHOD, new Args(3), Reply.class));
                assertInstanceOf(TransportException.class, next, () -> "expected a TransportException: " + next);
                long attempts = (plugin.preCalls.sum() - pre) + (plugin.dialFailures.sum() - dials);
                assertEquals(1, attempts, "FAILFAST makes exactly one attempt (preCalls " + (plugin.preCalls.sum() - pre)
                        + ", dial failures " + (plugin.dialFailures.sum() - dials) + ")");
                assertEquals(1, plugin.dialFailures.sum() - dials, "the one attempt was a refused dial");
            } finally {
                caller.shutdownNow();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 3. Failbackup
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void failbackupSendsTheBackupToTheLiveServerWhenTheFirstIsStopped() throws Exception {
        try (Servers servers = Servers.start(2)) {
            Thread caller = Thread.currentThread();
            AtomicReference<String> firstPick = new AtomicReference<>();
            ClientPlugin recordFirstPick = new ClientPlugin() {
                @Override
                public Selector wrapSelector(Selector s) {
                    return new Selector() {
                        @Override
                        public String select(SelectContext context) {
                            String k = s.select(context);
                            if (Thread.currentThread() == caller) { // the first request is selected on the caller's thread
                                firstPick.set(k);
                            }
                            return k;
                        }

                        @Override
                        public void updateServers(Map<String, String> all) {
                            s.updateServers(all);
                        }

                        @Override
                        public void close() {
                            s.close();
                        }
                    };
                }
            };
            ClientOptions options = ClientOptions.defaults().withBackupLatency(Duration.ofMillis(50)).withPlugin(recordFirstPick);
            String stopped = servers.address(0);
            String live = servers.address(1);
            try (XClient x = XClient.create(SERVICE, FailMode.FAILBACKUP, SelectMode.ROUND_ROBIN, servers.discovery(), options)) {
                // warm up: both connections open, both servers answer
                Set<String> answered = new java.util.HashSet<>();
                for (int i = 0; i < 6; i++) {
                    answered.add(x.<Reply>invoke(METHOD, new Args(i), Reply.class, CallOptions.NONE).server());
                }
                assertEquals(Set.of(stopped, live), answered);

                servers.jvm(0).stop();
                int firstToStopped = 0;
                int calls = 40;
                for (int i = 0; i < calls; i++) {
                    firstPick.set(null);
                    // a deadline only so that a missing backup fails the test instead of hanging it
                    Response<Reply> r = x.invoke(METHOD, new Args(100 + i), Reply.class, CallOptions.timeout(Duration.ofSeconds(10)));
                    assertEquals(100 + i, r.value().user().uid());
                    assertEquals(live, r.server(), "only the live server can answer while the other is stopped");
                    String first = firstPick.get();
                    assertNotNull(first, "the first selection happens on the caller's thread");
                    if (first.equals(stopped)) {
                        firstToStopped++;
                    }
                }
                System.out.printf("failbackup: %d calls while %s was stopped, %d of them first sent to it, all answered by %s%n",
                        calls, stopped, firstToStopped, live);
                assertTrue(firstToStopped >= calls / 4, "round-robin sent first requests to the stopped server: " + firstToStopped);

                // SIGCONT: the stopped server answers again
                servers.jvm(0).signal("CONT");
                Set<String> again = new java.util.HashSet<>();
                for (int i = 0; i < 20 && again.size() < 2; i++) {
                    again.add(x.<Reply>invoke(METHOD, new Args(i), Reply.class, CallOptions.timeout(Duration.ofSeconds(10))).server());
                }
                assertEquals(Set.of(stopped, live), again, "after SIGCONT both servers answer");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 4. Weighted round-robin
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void weightedRoundRobinSharesFollowTheWeights() throws Exception {
        int[] weights = {1, 2, 7};
        int total = 10_000;
        try (Servers servers = Servers.start(3)) {
            List<ServerNode> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                nodes.add(new ServerNode(servers.address(i), "weight=" + weights[i]));
            }
            Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            try (XClient x = XClient.create(SERVICE, FailMode.FAILFAST, SelectMode.WEIGHTED_ROUND_ROBIN,
                    new MultipleServersDiscovery(nodes), ClientOptions.defaults())) {
                runConcurrently(4, total, i -> {
                    try {
                        Response<Reply> r = x.invoke(METHOD, new Args(i), Reply.class, CallOptions.NONE);
                        counts.computeIfAbsent(r.server(), k -> new AtomicInteger()).incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.add(i + ": " + e);
                    }
                });
            }
            assertEquals(List.of(), failures);
            StringBuilder report = new StringBuilder("weighted round-robin shares over " + total + " calls:");
            for (int i = 0; i < 3; i++) {
                double share = 100.0 * counts.getOrDefault(servers.address(i), new AtomicInteger()).get() / total;
                report.append(String.format(" weight %d -> %.2f%% (expected %.1f%%);", weights[i], share, 10.0 * weights[i]));
            }
            System.out.println(report);
            for (int i = 0; i < 3; i++) {
                double share = 100.0 * counts.getOrDefault(servers.address(i), new AtomicInteger()).get() / total;
                assertEquals(10.0 * weights[i], share, 2.0, report.toString());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 5. Consistent hash
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void consistentHashKeepsKeysOnTheirServersAcrossClientsAndAKill() throws Exception {
        int keys = 300;
        try (Servers servers = Servers.start(3)) {
            MultipleServersDiscovery d1 = servers.discovery();
            MultipleServersDiscovery d2 = servers.discovery();
            ClientOptions options = ClientOptions.defaults();
            try (XClient x1 = XClient.create(SERVICE, FailMode.FAILOVER, SelectMode.CONSISTENT_HASH, d1, options);
                 XClient x2 = XClient.create(SERVICE, FailMode.FAILOVER, SelectMode.CONSISTENT_HASH, d2, options)) {
                Map<Integer, String> home = new TreeMap<>();
                for (int uid = 0; uid < keys; uid++) {
                    String s = server(x1, uid);
                    for (int r = 0; r < 2; r++) {
                        assertEquals(s, server(x1, uid), "uid " + uid + " moved between repeated calls");
                    }
                    assertEquals(s, server(x2, uid), "a second XClient sends uid " + uid + " elsewhere");
                    home.put(uid, s);
                }
                Map<String, Integer> perServer = new TreeMap<>();
                home.values().forEach(s -> perServer.merge(s, 1, Integer::sum));
                assertEquals(3, perServer.size(), "keys spread over all three servers: " + perServer);

                String victim = servers.address(0);
                servers.jvm(0).kill();
                List<Integer> survivorKeys = home.entrySet().stream().filter(e -> !e.getValue().equals(victim)).map(Map.Entry::getKey).toList();

                // (a) the victim is still listed (no registry noticed yet): failover moves its keys, the others stay
                int stayed = 0;
                for (int uid : survivorKeys) {
                    if (server(x1, uid).equals(home.get(uid))) {
                        stayed++;
                    }
                }
                for (int uid : home.keySet()) {
                    if (home.get(uid).equals(victim)) {
                        assertNotEquals(victim, server(x1, uid), "failover moved the victim's uid " + uid);
                    }
                }
                double stayedListed = 100.0 * stayed / survivorKeys.size();

                // (b) discovery drops the victim: the survivors' keys still stay, the victim's keys settle on survivors
                List<ServerNode> left = List.of(ServerNode.of(servers.address(1)), ServerNode.of(servers.address(2)));
                d1.update(left);
                d2.update(left);
                int stayedAfterUpdate = 0;
                Map<Integer, String> moved = new HashMap<>();
                for (int uid = 0; uid < keys; uid++) {
                    String s = server(x1, uid);
                    assertNotEquals(victim, s);
                    assertEquals(s, server(x1, uid), "uid " + uid + " moved between repeated calls after the update");
                    assertEquals(s, server(x2, uid), "the two XClients disagree on uid " + uid + " after the update");
                    if (home.get(uid).equals(victim)) {
                        moved.put(uid, s);
                    } else if (s.equals(home.get(uid))) {
                        stayedAfterUpdate++;
                    }
                }
                double stayedUpdated = 100.0 * stayedAfterUpdate / survivorKeys.size();
                System.out.printf("consistent hash: %d keys, per server %s; after killing %s: %.1f%% of the %d survivor keys stayed"
                        + " while it was still listed, %.1f%% after discovery dropped it; its %d keys moved to %s%n",
                        keys, perServer, victim, stayedListed, survivorKeys.size(), stayedUpdated, moved.size(),
                        new TreeMap<>(moved.values().stream().collect(java.util.stream.Collectors.groupingBy(s -> s, java.util.stream.Collectors.counting()))));
                assertTrue(stayedListed >= 90.0, "survivor keys that stayed while the victim was listed: " + stayedListed + "%");
                assertTrue(stayedUpdated >= 90.0, "survivor keys that stayed after the victim was removed: " + stayedUpdated + "%");
            }
        }
    }

    private static String server(XClient x, int uid) {
        Response<Reply> r = x.invoke(METHOD, new Args(uid), Reply.class, CallOptions.NONE);
        assertEquals(uid, r.value().user().uid());
        return r.server();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 6. Circuit breaker
    // ---------------------------------------------------------------------------------------------------------

    /**
     * The breakers under test: two failures trip them, and they stay open for {@link #OPEN_PERIOD}. The consecutive
     * breaker's window (the longest gap between counted failures) is kept well above the time a refused dial can
     * take, so that the test is about the breaker; see {@link #aRefusedDialFailsWithinTheConnectTimeout()}.
     */
    static Stream<Arguments> breakers() {
        return Stream.of(
                Arguments.of("consecutive", CircuitBreakers.byName("consecutive", Map.of("failureThreshold", "2",
                        "window", "PT10S", "openTimeout", OPEN_PERIOD.toString()))),
                Arguments.of("threshold", CircuitBreakers.threshold(2, OPEN_PERIOD)));
    }

    private static final Duration OPEN_PERIOD = Duration.ofSeconds(1);

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakers")
    void breakerOpensAfterTwoDialFailuresAndClosesAfterASuccessfulProbe(String name, Supplier<CircuitBreaker> breaker) throws Exception {
        try (Servers servers = Servers.start(1)) {
            Counting plugin = new Counting();
            ClientOptions options = ClientOptions.defaults().withBreaker(breaker)
                    .withReconnectBackoff(Duration.ZERO, Duration.ZERO).withPlugin(plugin);
            try (XClient x = XClient.create(SERVICE, FailMode.FAILFAST, SelectMode.ROUND_ROBIN, servers.discovery(), options)) {
                assertEquals(1, x.call(METHOD, new Args(1), Reply.class).user().uid());
                servers.jvm(0).kill();
                awaitTrue(() -> plugin.closed.sum() == 1, 10, "the connection close was not reported");

                for (int i = 1; i <= 2; i++) {
                    RuntimeException e = assertThrows(RuntimeException.class, () -> x.call(METHOD, new Args(2), Reply.class));
                    assertInstanceOf(TransportException.class, e, "failure " + i + " is the refused dial: " + e);
                    assertEquals(i, plugin.dialFailures.sum(), "failure " + i + " dialled");
                }
                long trippedAt = System.nanoTime();
                for (int i = 0; i < 2; i++) {
                    RuntimeException e = assertThrows(RuntimeException.class, () -> x.call(METHOD, new Args(3), Reply.class));
                    assertInstanceOf(BreakerOpenException.class, e, "the breaker is open after two failures: " + e);
                }
                assertEquals(2, plugin.dialFailures.sum(), "an open breaker does not dial");
                assertEquals(1, plugin.created.sum());
                assertEquals(1, plugin.preCalls.sum(), "refused calls were never sent");

                servers.restart(0);
                if (System.nanoTime() - trippedAt < OPEN_PERIOD.toNanos() - TimeUnit.MILLISECONDS.toNanos(200)) {
                    // still inside the open period (the restart was quick): the server is up, yet the breaker refuses
                    RuntimeException e = assertThrows(RuntimeException.class, () -> x.call(METHOD, new Args(4), Reply.class));
                    assertInstanceOf(BreakerOpenException.class, e);
                    assertEquals(1, plugin.created.sum());
                }
                long wait = OPEN_PERIOD.toNanos() + TimeUnit.MILLISECONDS.toNanos(100) - (System.nanoTime() - trippedAt);
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                assertEquals(5, x.call(METHOD, new Args(5), Reply.class).user().uid(), "the probe call succeeds");
                assertEquals(2, plugin.created.sum(), "the probe re-dialled");
                for (int i = 0; i < 20; i++) {
                    assertEquals(10 + i, x.call(METHOD, new Args(10 + i), Reply.class).user().uid(), "the breaker is closed");
                }
                assertEquals(2, plugin.created.sum());
                assertEquals(2, plugin.dialFailures.sum());
                assertEquals(0, plugin.attemptErrors.sum());
            }
        }
    }

    /**
     * A refused dial on loopback is answered by the kernel at once; the call must not take longer than the connect
     * timeout. (A dial that stalls for seconds holds the server's dial lock and spaces failures further apart than
     * a short breaker window, so the breaker never trips.)
     */
    @Test
    void aRefusedDialFailsWithinTheConnectTimeout() throws Exception {
        Duration connectTimeout = Duration.ofSeconds(1);
        int port = SeparateJvmTest.freePort(); // nothing listens there
        Counting plugin = new Counting();
        ClientOptions options = ClientOptions.defaults().withConnectTimeout(connectTimeout)
                .withReconnectBackoff(Duration.ZERO, Duration.ZERO).withPlugin(plugin);
        List<Long> millis = new ArrayList<>();
        try (XClient x = XClient.create(SERVICE, FailMode.FAILFAST, SelectMode.ROUND_ROBIN,
                new MultipleServersDiscovery(List.of(ServerNode.of("tcp@127.0.0.1:" + port))), options)) {
            for (int i = 0; i < 10; i++) {
                long t0 = System.nanoTime();
                RuntimeException e = assertThrows(RuntimeException.class, () -> x.call(METHOD, new Args(1), Reply.class));
                millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                assertInstanceOf(TransportException.class, e);
            }
        }
        System.out.println("refused dials took (ms): " + millis);
        assertEquals(10, plugin.dialFailures.sum());
        assertTrue(millis.stream().allMatch(ms -> ms < connectTimeout.toMillis()),
                "a refused loopback dial took longer than the " + connectTimeout.toMillis() + " ms connect timeout: " + millis);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 7. Resource hygiene under a flapping server
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void nothingLeaksAfterTenThousandCallsAgainstAFlappingServer() throws Exception {
        int total = 10_000;
        int callers = 4;
        long runNanos = TimeUnit.SECONDS.toNanos(9); // paced so that the flapping server goes down several times
        try (Servers servers = Servers.start(2)) {
            Counting plugin = new Counting();
            // a short reconnect backoff, so that each ~1 s life of the flapping server gets a connection of its own
            ClientOptions options = ClientOptions.defaults().withRetries(3)
                    .withReconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).withPlugin(plugin);
            String stable = servers.address(0);
            String flapping = servers.address(1);
            Map<Integer, AtomicInteger> flappingAnswersPerLife = new ConcurrentHashMap<>();
            AtomicInteger life = new AtomicInteger();
            AtomicInteger ok = new AtomicInteger();
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            Map<String, Integer> baseline;
            int kills = 0;
            XClient x = XClient.create(SERVICE, FailMode.FAILOVER, SelectMode.ROUND_ROBIN, servers.discovery(), options);
            try {
                for (int i = 0; i < 8; i++) { // warm-up: both connections, the shared pools started
                    server(x, i);
                }
                baseline = threadGroups();
                AtomicBoolean stop = new AtomicBoolean();
                AtomicReference<Throwable> flapperError = new AtomicReference<>();
                AtomicInteger killCount = new AtomicInteger();
                Thread flapper = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            Thread.sleep(1000);
                            if (stop.get()) {
                                break;
                            }
                            servers.jvm(1).kill();
                            killCount.incrementAndGet();
                            life.incrementAndGet(); // answers from now on come from the next life
                            Thread.sleep(100);
                            servers.restart(1);
                        }
                    } catch (Throwable t) {
                        flapperError.set(t);
                    }
                }, "flapper");
                flapper.start();
                long t0 = System.nanoTime();
                try {
                    runConcurrently(callers, total, i -> {
                        long due = t0 + runNanos * i / total;
                        long sleep = due - System.nanoTime();
                        if (sleep > 0) {
                            try {
                                TimeUnit.NANOSECONDS.sleep(sleep);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                        try {
                            Response<Reply> r = x.invoke(METHOD, new Args(i), Reply.class, CallOptions.NONE);
                            ok.incrementAndGet();
                            if (r.server().equals(flapping)) {
                                flappingAnswersPerLife.computeIfAbsent(life.get(), k -> new AtomicInteger()).incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            failures.add(i + ": " + e);
                        }
                    });
                } finally {
                    stop.set(true);
                    flapper.join(60_000);
                }
                if (flapperError.get() != null) {
                    throw new AssertionError("the flapper failed", flapperError.get());
                }
                kills = killCount.get();
            } finally {
                x.close();
            }
            long elapsed = System.nanoTime();
            awaitTrue(() -> plugin.closed.sum() == plugin.created.sum(), 10,
                    "connections created " + plugin.created.sum() + " != closed " + plugin.closed.sum());
            Map<String, Integer> grown = new TreeMap<>();
            boolean settled = waitForThreads(baseline, grown, 10);
            List<String> leaks = NettyLeakCheck.collectLeaks();
            System.out.printf("flapping: %d calls, %d ok, %d failed, %d kills of %s, its answers per life %s, connections created %d,"
                            + " closed %d, dial failures %d, failed attempts %d; threads: baseline %s, grown after close %s (settled %b, %d ms)%n",
                    total, ok.get(), failures.size(), kills, flapping, new TreeMap<>(flappingAnswersPerLife), plugin.created.sum(),
                    plugin.closed.sum(), plugin.dialFailures.sum(), plugin.attemptErrors.sum(), baseline, grown, settled,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - elapsed));
            assertTrue(kills >= 2, "the server was killed several times during the run: " + kills);
            assertEquals(List.of(), new ArrayList<>(failures).subList(0, Math.min(10, failures.size())),
                    "the stable server " + stable + " never went down, so failover must not lose a call");
            assertEquals(total, ok.get());
            long livesAnswered = flappingAnswersPerLife.entrySet().stream().filter(e -> e.getKey() > 0 && e.getValue().get() > 0).count();
            assertTrue(livesAnswered >= 2, "the restarted server was re-dialled and answered in later lives: " + flappingAnswersPerLife);
            assertEquals(plugin.created.sum(), plugin.closed.sum(), "every connection created was closed");
            assertTrue(settled, "rpcx/netty threads left after close beyond the baseline: " + grown);
            assertEquals(List.of(), leaks, "Netty leak reports");
        }
    }

    /** rpcx and Netty threads, by name without the trailing numbers: {@code rpcx-callback-7} counts as {@code rpcx-callback}. */
    private static Map<String, Integer> threadGroups() {
        Map<String, Integer> groups = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.isAlive()) {
                continue;
            }
            String name = t.getName();
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("rpcx") || lower.contains("netty") || lower.contains("eventloop") || lower.contains("globaleventexecutor")
                    || lower.contains("objectcleaner") || lower.startsWith("epoll") || lower.startsWith("nio")) {
                groups.merge(name.replaceAll("[-0-9]+$", ""), 1, Integer::sum);
            }
        }
        return groups;
    }

    /**
     * Waits until no thread group exceeds its baseline count, except the shared pools that exist once per JVM:
     * {@code rpcx-callback} (a cached pool; idle threads linger for 60 s) may have grown by at most {@link #SHARED_CALLBACK_SLACK}.
     */
    private static boolean waitForThreads(Map<String, Integer> baseline, Map<String, Integer> grown, long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            grown.clear();
            Map<String, Integer> now = threadGroups();
            boolean ok = true;
            for (Map.Entry<String, Integer> e : now.entrySet()) {
                int extra = e.getValue() - baseline.getOrDefault(e.getKey(), 0);
                if (extra > 0) {
                    grown.put(e.getKey(), extra);
                    if (!(e.getKey().equals("rpcx-callback") && extra <= SHARED_CALLBACK_SLACK)) {
                        ok = false;
                    }
                }
            }
            if (ok || System.nanoTime() > end) {
                return ok;
            }
            Thread.sleep(100);
        }
    }

    /** The callback pool is shared by the JVM and cached: its size follows the peak concurrency, not the call count. */
    private static final int SHARED_CALLBACK_SLACK = 16;

    // ---------------------------------------------------------------------------------------------------------
    // helpers
    // ---------------------------------------------------------------------------------------------------------

    /** Counts what the client plugin hooks see. */
    static final class Counting implements ClientPlugin {
        final LongAdder preCalls = new LongAdder();
        final LongAdder attemptErrors = new LongAdder();
        final LongAdder created = new LongAdder();
        final LongAdder closed = new LongAdder();
        final LongAdder dialFailures = new LongAdder();

        @Override
        public void preCall(String servicePath, String method, Object args) {
            preCalls.increment();
        }

        @Override
        public void postCall(String servicePath, String method, Object args, Object reply, Throwable error) {
            if (error != null) {
                attemptErrors.increment();
            }
        }

        @Override
        public void connectionCreated(String address) {
            created.increment();
        }

        @Override
        public void connectionFailed(String address, Throwable error) {
            dialFailures.increment();
        }

        @Override
        public void connectionClosed(String address) {
            closed.increment();
        }
    }

    interface IntTask {
        void run(int i) throws Exception;
    }

    /** Runs {@code task(0..total-1)} on {@code threads} threads, each taking the next index; rethrows the first error. */
    private static void runConcurrently(int threads, int total, IntTask task) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        task.run(i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitTrue(BooleanSupplier condition, long seconds, String message) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail(message);
            }
            Thread.sleep(10);
        }
    }

    /** Member server JVMs on fixed free ports of 127.0.0.1, started in parallel; all killed on close. */
    static final class Servers implements AutoCloseable {
        private final int[] ports;
        private final ChildJvm[] jvms;

        private Servers(int n) throws Exception {
            ports = new int[n];
            jvms = new ChildJvm[n];
            for (int i = 0; i < n; i++) {
                ports[i] = SeparateJvmTest.freePort();
            }
        }

        static Servers start(int n) throws Exception {
            Servers s = new Servers(n);
            try {
                for (int i = 0; i < n; i++) {
                    s.jvms[i] = launch(s.ports[i]);
                }
                for (int i = 0; i < n; i++) {
                    awaitListening(s.jvms[i], s.ports[i]);
                }
                return s;
            } catch (Throwable t) {
                s.close();
                throw t;
            }
        }

        private static ChildJvm launch(int port) {
            return ChildJvm.modulePath(MODULE, SERVER_MAIN, "-addr", "127.0.0.1:" + port);
        }

        private static void awaitListening(ChildJvm jvm, int port) throws InterruptedException {
            jvm.awaitLine(Pattern.quote("listening on tcp@127.0.0.1:" + port), 60);
        }

        String address(int i) {
            return "tcp@127.0.0.1:" + ports[i];
        }

        synchronized ChildJvm jvm(int i) {
            return jvms[i];
        }

        /** A new discovery listing every server. */
        MultipleServersDiscovery discovery() {
            List<ServerNode> nodes = new ArrayList<>();
            for (int i = 0; i < ports.length; i++) {
                nodes.add(ServerNode.of(address(i)));
            }
            return new MultipleServersDiscovery(nodes);
        }

        /** Kills server {@code i} (if alive) and starts a new one on the same port; returns once it listens. */
        void restart(int i) throws InterruptedException {
            ChildJvm fresh;
            synchronized (this) {
                jvms[i].close();
                fresh = launch(ports[i]);
                jvms[i] = fresh;
            }
            awaitListening(fresh, ports[i]);
        }

        @Override
        public synchronized void close() throws InterruptedException {
            for (ChildJvm j : jvms) {
                if (j != null) {
                    j.close(); // SIGKILL ends a stopped (SIGSTOP) JVM too
                }
            }
        }
    }
}
