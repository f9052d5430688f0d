package rpcx.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

import org.junit.jupiter.api.Test;

import rpcx.api.CallContext;
import rpcx.api.ServiceException;
import rpcx.api.protocol.Message;

/** Metrics at the hook level, on a clock that moves only when told to, and through JMX. */
class MetricsTest {
    private final FakeClock clock = new FakeClock();
    private final FakeConnection conn = FakeConnection.from("127.0.0.1");
    private long seq;

    /** One call through every hook the server runs, taking {@code took}; fails when {@code fail}. */
    private void call(Metrics m, String service, String method, Duration took, boolean fail) {
        Message req = Message.request(++seq, service, method, 0, Map.of(), new byte[0]);
        req = m.postReadRequest(conn, req);
        CallContext ctx = new CallContext(req, conn, 0, false);
        m.preHandleRequest(ctx, req);
        Object args = m.preCall(ctx, service, method, "args");
        clock.advance(took);
        Throwable error = fail ? new ServiceException("boom") : null;
        m.postCall(ctx, service, method, args, fail ? null : "reply", error);
        Message res = req.toResponse();
        if (fail) {
            res = res.withError(true).withMetadata(Map.of(Message.ERROR_KEY, "boom"));
        }
        m.preWriteResponse(ctx, req, res, error);
        m.postWriteResponse(ctx, req, res, error);
    }

    @Test
    void countsCallsErrorsRepliesAndRates() {
        Metrics m = new Metrics("t", clock, 1024);
        for (int i = 1; i <= 10; i++) {
            call(m, "Arith", "Mul", Duration.ofMillis(i), i % 5 == 0);
        }
        call(m, "Arith", "Add", Duration.ofMillis(1), false);
        MetricsSnapshot s = m.snapshot();
        assertEquals("t", s.name());
        assertEquals(List.of("Arith.Add", "Arith.Mul"),
                s.methods().stream().map(x -> x.servicePath() + "." + x.serviceMethod()).toList());
        MetricsSnapshot.Method mul = s.method("Arith", "Mul").orElseThrow();
        assertEquals(10, mul.requests());
        assertEquals(10, mul.calls());
        assertEquals(2, mul.errors());
        assertEquals(10, mul.replies());
        assertEquals(2, mul.errorReplies());
        assertEquals(10.0, mul.readQps(), "all within the last second (56 ms in all)");
        assertEquals(10.0, mul.writeQps());
        assertEquals(11, s.totalRequests());
        assertEquals(11, s.totalCalls());
        assertEquals(2, s.totalErrors());
        assertEquals(11.0, s.totalReadQps());
        assertEquals(0, m.callsInFlight());

        clock.advance(Duration.ofSeconds(1));
        MetricsSnapshot later = m.snapshot();
        assertEquals(0.0, later.totalReadQps(), "the rate is of the last second only");
        assertEquals(0.0, later.totalWriteQps());
        assertEquals(11, later.totalCalls(), "counters keep counting");
    }

    @Test
    void callTimeHistogramAndPercentiles() {
        Metrics m = new Metrics("t", clock, 1024);
        for (int i = 1; i <= 10; i++) {
            call(m, "Arith", "Mul", Duration.ofMillis(i), false);
        }
        MetricsSnapshot.CallTime t = m.snapshot().method("Arith", "Mul").orElseThrow().callTime();
        assertEquals(10, t.count());
        assertEquals(5.5, t.meanMillis(), 1e-9);
        assertEquals(1.0, t.minMillis(), 1e-9);
        assertEquals(10.0, t.maxMillis(), 1e-9);
        // buckets: <=1 ms: 1; (1, 2.5]: 1; (2.5, 5]: 3; (5, 10]: 5
        assertEquals(CallTimeHistogram.BOUNDS_NANOS.length + 1, t.buckets().size());
        assertEquals(new MetricsSnapshot.Bucket(1.0, 1), t.buckets().get(4));
        assertEquals(new MetricsSnapshot.Bucket(2.5, 1), t.buckets().get(5));
        assertEquals(new MetricsSnapshot.Bucket(5.0, 3), t.buckets().get(6));
        assertEquals(new MetricsSnapshot.Bucket(10.0, 5), t.buckets().get(7));
        assertEquals(Double.POSITIVE_INFINITY, t.buckets().get(t.buckets().size() - 1).upperBoundMillis());
        assertEquals(10, t.buckets().stream().mapToLong(MetricsSnapshot.Bucket::count).sum());
        assertEquals(5.0, t.p50Millis(), 1e-9, "rank 5: the 3rd of 3 in (2.5, 5]: 2.5 + 2.5 * 3/3");
        assertEquals(9.0, t.p90Millis(), 1e-9, "rank 9: the 4th of 5 in (5, 10]: 5 + 5 * 4/5");
        assertEquals(10.0, t.p99Millis(), 1e-9, "rank 10: the top of (5, 10], which is the maximum");
    }

    @Test
    void equalTimesGiveThatTimeAtEveryPercentile() {
        Metrics m = new Metrics("t", clock, 1024);
        for (int i = 0; i < 100; i++) {
            call(m, "S", "M", Duration.ofMillis(3), false);
        }
        MetricsSnapshot.CallTime t = m.snapshot().method("S", "M").orElseThrow().callTime();
        assertEquals(3.0, t.p50Millis(), 1e-9);
        assertEquals(3.0, t.p90Millis(), 1e-9);
        assertEquals(3.0, t.p99Millis(), 1e-9);
    }

    @Test
    void timesBeyondTheLastBoundAndAnEmptyHistogram() {
        CallTimeHistogram h = new CallTimeHistogram();
        MetricsSnapshot.CallTime empty = h.snapshot();
        assertEquals(0, empty.count());
        assertEquals(0.0, empty.p99Millis());
        h.record(Duration.ofSeconds(20).toNanos());
        h.record(Duration.ofSeconds(40).toNanos());
        MetricsSnapshot.CallTime t = h.snapshot();
        assertEquals(2, t.buckets().get(t.buckets().size() - 1).count());
        assertEquals(25_000.0, t.p50Millis(), 1e-6, "rank 1 of 2 in the last bucket, from 10 s to the 40 s maximum");
        assertEquals(40_000.0, t.p99Millis(), 1e-6);
        assertEquals(0, CallTimeHistogram.bucketOf(0));
        assertEquals(0, CallTimeHistogram.bucketOf(50_000));
        assertEquals(1, CallTimeHistogram.bucketOf(50_001));
        assertEquals(CallTimeHistogram.BOUNDS_NANOS.length, CallTimeHistogram.bucketOf(Long.MAX_VALUE));
    }

    @Test
    void requestsWithoutACallAndErrorRepliesWithoutACall() {
        Metrics m = new Metrics("t", clock, 1024);
        Message req = m.postReadRequest(conn, Message.request(1, "Arith", "Nope", 0, Map.of(), new byte[0]));
        CallContext ctx = new CallContext(req, conn, 0, false);
        Message res = req.toResponse().withError(true);
        m.postWriteResponse(ctx, req, res, new ServiceException("rpcx: can't find method Nope"));
        MetricsSnapshot.Method x = m.snapshot().method("Arith", "Nope").orElseThrow();
        assertEquals(1, x.requests());
        assertEquals(0, x.calls());
        assertEquals(1, x.replies());
        assertEquals(1, x.errorReplies());
        assertEquals(0, x.callTime().count());
    }

    @Test
    void aStartWithoutPostCallIsDroppedWhenTheReplyIsWritten() {
        Metrics m = new Metrics("t", clock, 1024);
        Message req = Message.request(1, "S", "M", 0, Map.of(), new byte[0]);
        CallContext ctx = new CallContext(req, conn, 0, false);
        m.preCall(ctx, "S", "M", null); // a later plugin's preCall fails: no postCall
        assertEquals(1, m.callsInFlight());
        m.postWriteResponse(ctx, req, req.toResponse().withError(true), new ServiceException("refused"));
        assertEquals(0, m.callsInFlight());
    }

    @Test
    void heartbeatsAndFramesWithoutServiceAreNotRequests() {
        Metrics m = new Metrics("t", clock, 1024);
        m.postReadRequest(conn, Message.request(1, "", "", 0, Map.of(), new byte[0]));
        m.postReadRequest(conn, Message.request(2, "S", "M", 0, Map.of(), new byte[0]).withHeartbeat(true));
        assertEquals(List.of(), m.snapshot().methods());
    }

    @Test
    void namesBeyondTheLimitAreGatheredUnderStar() {
        Metrics m = new Metrics("t", clock, 2);
        call(m, "S", "a", Duration.ofMillis(1), false);
        call(m, "S", "b", Duration.ofMillis(1), false);
        call(m, "S", "c", Duration.ofMillis(1), false);
        call(m, "T", "d", Duration.ofMillis(1), false);
        call(m, "S", "a", Duration.ofMillis(1), false);
        MetricsSnapshot s = m.snapshot();
        assertEquals(3, s.methods().size());
        assertEquals(2, s.method(Metrics.OTHER, Metrics.OTHER).orElseThrow().calls());
        assertEquals(2, s.method("S", "a").orElseThrow().calls());
    }

    @Test
    void servicesAndConnections() {
        Metrics m = new Metrics("t", clock, 1024);
        m.register("Arith", new Object(), "");
        m.register("Echo", new Object(), "group=a");
        m.registerFunction("Fn", "Reverse", new Object(), "");
        FakeConnection a = FakeConnection.from("10.0.0.1");
        FakeConnection b = FakeConnection.from("10.0.0.2");
        FakeConnection c = FakeConnection.from("10.0.0.3");
        assertTrue(m.connectionAccepted(a));
        assertTrue(m.connectionAccepted(b));
        assertTrue(m.connectionAccepted(c));
        m.connectionClosed(a);
        MetricsSnapshot s = m.snapshot();
        assertEquals(2, s.servicesRegistered(), "functions are not services, as in Go");
        assertEquals(3, s.connectionsAccepted());
        assertEquals(2, s.connectionsOpen());
        assertEquals(3.0, s.acceptsPerSecond());
        c.close(); // closed without the hook (e.g. refused by a later plugin)
        assertEquals(1, m.snapshot().connectionsOpen());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(0.0, m.snapshot().acceptsPerSecond());
    }

    @Test
    void rollingRateCountsTheLastSecondIn100MsSteps() {
        RollingRate r = new RollingRate(clock);
        for (int i = 0; i < 5; i++) {
            r.mark();
        }
        clock.advance(Duration.ofMillis(500));
        for (int i = 0; i < 3; i++) {
            r.mark();
        }
        assertEquals(8, r.lastSecond());
        clock.advance(Duration.ofMillis(450)); // 950 ms after the first five
        assertEquals(8, r.lastSecond());
        clock.advance(Duration.ofMillis(100)); // 1050 ms: their slot left the window
        assertEquals(3, r.lastSecond());
        r.mark();
        assertEquals(4, r.lastSecond());
        clock.advance(Duration.ofSeconds(5));
        assertEquals(0, r.lastSecond());
        r.mark();
        assertEquals(1, r.lastSecond(), "a reused slot starts from zero");
    }

    // ---------------------------------------------------------------- JMX

    @Test
    void registersAnMXBeanReadableThroughThePlatformMBeanServer() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Metrics m = new Metrics("jmx-test-" + System.nanoTime(), clock, 1024);
        ObjectName name = m.objectName();
        assertEquals("rpcx:type=ServerMetrics,name=" + m.name(), name.toString());
        assertTrue(m.register(server).isRegistered());
        try {
            assertTrue(server.isRegistered(name));
            m.register("Arith", new Object(), "");
            m.connectionAccepted(conn);
            for (int i = 1; i <= 4; i++) {
                call(m, "Arith", "Mul", Duration.ofMillis(2), i == 4);
            }
            assertEquals(m.name(), server.getAttribute(name, "Name"));
            assertEquals(1L, server.getAttribute(name, "ServicesRegistered"));
            assertEquals(1L, server.getAttribute(name, "ConnectionsAccepted"));
            assertEquals(1, server.getAttribute(name, "ConnectionsOpen"));
            assertEquals(4L, server.getAttribute(name, "Requests"));
            assertEquals(4L, server.getAttribute(name, "Calls"));
            assertEquals(1L, server.getAttribute(name, "Errors"));
            assertEquals(4.0, server.getAttribute(name, "ReadQps"));
            assertEquals(4.0, server.getAttribute(name, "WriteQps"));
            CompositeData[] methods = (CompositeData[]) server.getAttribute(name, "Methods");
            assertEquals(1, methods.length);
            assertEquals("Arith", methods[0].get("servicePath"));
            assertEquals("Mul", methods[0].get("serviceMethod"));
            assertEquals(4L, methods[0].get("calls"));
            assertEquals(1L, methods[0].get("errors"));
            CompositeData callTime = assertInstanceOf(CompositeData.class, methods[0].get("callTime"));
            assertEquals(4L, callTime.get("count"));
            assertEquals(2.0, (Double) callTime.get("p50Millis"), 1e-9);
            assertEquals(CallTimeHistogram.BOUNDS_NANOS.length + 1, ((CompositeData[]) callTime.get("buckets")).length);

            assertThrows(IllegalStateException.class, () -> m.register(server), "twice");
            Metrics twin = new Metrics(m.name());
            assertThrows(IllegalStateException.class, () -> twin.register(server), "the name is taken");
            assertFalse(twin.isRegistered());
        } finally {
            m.unregister();
        }
        assertFalse(m.isRegistered());
        assertFalse(server.isRegistered(name));
        m.unregister(); // again: nothing to do
    }

    @Test
    void namesWithSpecialCharactersAreQuoted() throws Exception {
        assertEquals(new ObjectName("rpcx:type=ServerMetrics,name=\"a,b=c\""), new Metrics("a,b=c").objectName());
        assertEquals("rpcx:type=ServerMetrics,name=default", new Metrics().objectName().toString());
        assertThrows(IllegalArgumentException.class, () -> new Metrics(""));
        assertThrows(IllegalArgumentException.class, () -> new Metrics("x", 0));
    }
}
