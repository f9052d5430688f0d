package rpcx.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import rpcx.api.CallContext;
import rpcx.api.RequestLimitException;
import rpcx.api.protocol.Message;

/** The request limiter at the hook level, on a clock that moves only when told to. */
class RequestRateLimiterTest {
    private final FakeClock clock = new FakeClock();
    private final FakeConnection conn = FakeConnection.from("10.0.0.1");
    private long seq;

    private Message request(String service, String method) {
        return Message.request(++seq, service, method, 0, Map.of(), new byte[0]);
    }

    /** Runs postReadRequest; true when the request passed, false when it was refused with Go's error. */
    private boolean offer(RequestRateLimiter l, Message m) {
        try {
            assertSame(m, l.postReadRequest(conn, m));
            return true;
        } catch (RequestLimitException e) {
            assertEquals("request reached rate limit", e.getMessage());
            return false;
        }
    }

    @Test
    void aBurstOf100AgainstBurst10LetsExactly10ThroughInRefuseMode() {
        RequestRateLimiter l = RequestRateLimiter.builder(1, 10).clock(clock).build();
        assertEquals(RequestRateLimiter.Mode.REFUSE, l.mode());
        int passed = 0;
        for (int i = 0; i < 100; i++) {
            if (offer(l, request("Arith", "Mul"))) {
                passed++;
            }
        }
        assertEquals(10, passed);
        assertEquals(10, l.passedCount());
        assertEquals(90, l.refusedCount());
    }

    @Test
    void tokensComeBackAtTheRate() {
        RequestRateLimiter l = RequestRateLimiter.builder(10, 2).clock(clock).build(); // 100 ms per token
        assertTrue(offer(l, request("A", "B")));
        assertTrue(offer(l, request("A", "B")));
        assertEquals(false, offer(l, request("A", "B")));
        clock.advance(Duration.ofMillis(100));
        assertTrue(offer(l, request("A", "B")));
        assertEquals(false, offer(l, request("A", "B")));
        clock.advance(Duration.ofSeconds(5));
        assertTrue(offer(l, request("A", "B")));
        assertTrue(offer(l, request("A", "B")));
        assertEquals(false, offer(l, request("A", "B")));
    }

    @Test
    void goStyleFillIntervalAndCapacity() {
        RequestRateLimiter l = RequestRateLimiter.builder(Duration.ofMillis(50), 3).clock(clock).build();
        assertEquals(20.0, l.permitsPerSecond(), 1e-9);
        assertEquals(3, l.burst());
        for (int i = 0; i < 3; i++) {
            assertTrue(offer(l, request("A", "B")));
        }
        assertEquals(false, offer(l, request("A", "B")));
        clock.advance(Duration.ofMillis(50));
        assertTrue(offer(l, request("A", "B")));
    }

    @Test
    void oneSharedBucketByDefault() {
        RequestRateLimiter l = RequestRateLimiter.builder(1, 2).clock(clock).build();
        assertTrue(offer(l, request("Arith", "Mul")));
        assertTrue(offer(l, request("Arith", "Add")));
        assertEquals(false, offer(l, request("Other", "X")));
    }

    @Test
    void perMethodBucketsAreIndependent() {
        RequestRateLimiter l = RequestRateLimiter.builder(1, 2).perMethod(true).clock(clock).build();
        assertTrue(l.perMethod());
        for (String method : List.of("Mul", "Add", "Div")) {
            assertTrue(offer(l, request("Arith", method)));
            assertTrue(offer(l, request("Arith", method)));
            assertEquals(false, offer(l, request("Arith", method)), method);
        }
        // the key is the pair of names, not their concatenation
        assertTrue(offer(l, request("Arith.Mul", "")));
    }

    @Test
    void namesBeyondMaxKeysShareTheOverflowBucket() {
        RequestRateLimiter l = RequestRateLimiter.builder(1, 1).perMethod(true).maxKeys(2).clock(clock).build();
        assertTrue(offer(l, request("S", "a")));
        assertTrue(offer(l, request("S", "b")));
        assertTrue(offer(l, request("S", "c"))); // the overflow bucket's one token
        assertEquals(false, offer(l, request("S", "d")));
        assertEquals(false, offer(l, request("S", "e")));
        assertEquals(false, offer(l, request("S", "a"))); // its own bucket, empty
    }

    @Test
    void heartbeatsAreNotCounted() {
        RequestRateLimiter l = RequestRateLimiter.builder(1, 1).clock(clock).build();
        Message hb = request("", "").withHeartbeat(true);
        for (int i = 0; i < 10; i++) {
            assertSame(hb, l.postReadRequest(conn, hb));
        }
        assertTrue(offer(l, request("A", "B")));
        assertEquals(0, l.refusedCount());
    }

    @Test
    void concurrentRequestsAtOnceGetExactlyTheBurst() throws Exception {
        RequestRateLimiter l = RequestRateLimiter.refusing(0.001, 10); // the real clock: one refill per 1000 s
        int threads = 100;
        AtomicInteger passed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Message m = request("Arith", "Mul");
            Thread th = new Thread(() -> {
                try {
                    go.await();
                    l.postReadRequest(conn, m);
                    passed.incrementAndGet();
                } catch (RequestLimitException e) {
                    refused.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            th.start();
            all.add(th);
        }
        go.countDown();
        for (Thread th : all) {
            th.join();
        }
        assertEquals(10, passed.get());
        assertEquals(90, refused.get());
    }

    // ---------------------------------------------------------------- BLOCK

    /** Records the waits asked for and lets the fake clock move by them. */
    private final List<Long> waits = new ArrayList<>();

    private RequestRateLimiter blocking(double rate, int burst, Duration maxWait) {
        return RequestRateLimiter.builder(rate, burst).block(maxWait).clock(clock).sleeper(n -> {
            waits.add(n);
            clock.advanceNanos(n);
        }).build();
    }

    private CallContext contextOf(Message m) {
        return new CallContext(m, conn, 0, false);
    }

    @Test
    void blockModeReservesOnTheReadHookAndWaitsInPreHandleRequest() {
        RequestRateLimiter l = blocking(10, 1, Duration.ofMillis(250)); // 100 ms per token
        assertEquals(RequestRateLimiter.Mode.BLOCK, l.mode());
        assertEquals(Duration.ofMillis(250), l.maxWait());
        Message a = request("A", "B");
        Message b = request("A", "B");
        Message c = request("A", "B");
        Message d = request("A", "B");
        assertTrue(offer(l, a)); // the token there
        assertTrue(offer(l, b)); // due in 100 ms
        assertTrue(offer(l, c)); // due in 200 ms
        assertEquals(false, offer(l, d), "due in 300 ms: over the maximum wait");
        assertEquals(List.of(), waits, "the read hook (an I/O thread) never waits");
        assertEquals(2, l.pendingReservations());
        assertEquals(3, l.passedCount());
        assertEquals(2, l.delayedCount());
        assertEquals(1, l.refusedCount());

        l.preHandleRequest(contextOf(a), a);
        assertEquals(List.of(), waits, "no reservation: no wait");
        l.preHandleRequest(contextOf(b), b);
        assertEquals(List.of(100_000_000L), waits);
        l.preHandleRequest(contextOf(c), c);
        assertEquals(List.of(100_000_000L, 100_000_000L), waits, "the clock moved by the first wait");
        assertEquals(0, l.pendingReservations());
    }

    @Test
    void blockModeWaitsOnlyWhatIsLeftAndNotAtAllWhenTheTokenIsDue() {
        RequestRateLimiter l = blocking(10, 1, Duration.ofSeconds(1));
        Message a = request("A", "B");
        Message b = request("A", "B");
        Message c = request("A", "B");
        offer(l, a);
        offer(l, b); // due in 100 ms
        offer(l, c); // due in 200 ms
        clock.advance(Duration.ofMillis(130));
        l.preHandleRequest(contextOf(c), c);
        l.preHandleRequest(contextOf(b), b);
        assertEquals(List.of(70_000_000L), waits);
    }

    @Test
    void blockModeRefusesAWaitLongerThanTheCallersTimeout() {
        RequestRateLimiter l = blocking(10, 1, Duration.ofSeconds(1));
        assertTrue(offer(l, request("A", "B")));
        Message hurried = Message.request(++seq, "A", "B", 0, Map.of(Message.SERVER_TIMEOUT_KEY, "50"), new byte[0]);
        assertEquals(false, offer(l, hurried), "a 100 ms wait is over the caller's 50 ms");
        Message patient = Message.request(++seq, "A", "B", 0, Map.of(Message.SERVER_TIMEOUT_KEY, "150"), new byte[0]);
        assertTrue(offer(l, patient));
    }

    @Test
    void aClosedConnectionDropsItsReservations() {
        RequestRateLimiter l = blocking(10, 1, Duration.ofSeconds(1));
        offer(l, request("A", "B"));
        Message b = request("A", "B");
        offer(l, b);
        assertEquals(1, l.pendingReservations());
        l.connectionClosed(conn);
        assertEquals(0, l.pendingReservations());
        l.preHandleRequest(contextOf(b), b);
        assertEquals(List.of(), waits);
    }

    @Test
    void refuseModeIgnoresPreHandleRequest() {
        RequestRateLimiter l = RequestRateLimiter.builder(10, 1).clock(clock).sleeper(n -> waits.add(n)).build();
        Message a = request("A", "B");
        offer(l, a);
        l.preHandleRequest(contextOf(a), a);
        assertEquals(List.of(), waits);
    }

    @Test
    void theRealSleeperWaitsAboutTheReservedTime() {
        RequestRateLimiter l = RequestRateLimiter.builder(20, 1).block(Duration.ofMillis(200)).build(); // 50 ms per token
        Message a = request("A", "B");
        Message b = request("A", "B");
        offer(l, a);
        offer(l, b);
        long t0 = System.nanoTime();
        l.preHandleRequest(contextOf(b), b);
        long took = System.nanoTime() - t0;
        assertTrue(took >= 30_000_000L && took < 2_000_000_000L, "waited " + took + " ns");
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> RequestRateLimiter.refusing(0, 1));
        assertThrows(IllegalArgumentException.class, () -> RequestRateLimiter.refusing(1, 0));
        assertThrows(IllegalArgumentException.class, () -> RequestRateLimiter.builder(Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> RequestRateLimiter.builder(1, 1).block(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> RequestRateLimiter.builder(1, 1).block(Duration.ofMillis(-5)));
        assertThrows(IllegalArgumentException.class, () -> RequestRateLimiter.builder(1, 1).maxKeys(0));
        assertThrows(NullPointerException.class, () -> RequestRateLimiter.builder(1, 1).block(null));
        RequestRateLimiter back = RequestRateLimiter.builder(1, 1).block(Duration.ofMillis(5)).refuse().build();
        assertEquals(RequestRateLimiter.Mode.REFUSE, back.mode());
        assertEquals(Duration.ZERO, back.maxWait());
    }
}
