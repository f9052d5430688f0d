package rpcx.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import rpcx.api.spi.SelectContext;

/** RTT-weighted selection: Go's RTT-to-weight table, real loopback probes, background refresh, close. */
class WeightedIcmpSelectorTest {
    private static final SelectContext CTX = new SelectContext("Arith", "Mul", null);

    private static WeightedIcmpSelectorProvider.WeightedIcmpSelector selector(String interval) {
        return (WeightedIcmpSelectorProvider.WeightedIcmpSelector) new WeightedIcmpSelectorProvider()
                .create(Map.of("interval", interval, "timeout", "PT2S"));
    }

    private static ServerSocket listen() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** An address on loopback nobody listens on: a port just released. */
    private static String refusedAddress() throws IOException {
        try (ServerSocket s = listen()) {
            return "tcp@127.0.0.1:" + s.getLocalPort();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void providerName() {
        assertEquals(rpcx.api.SelectMode.WEIGHTED_ICMP.providerName(), new WeightedIcmpSelectorProvider().name());
    }

    @Test
    void rttToWeightTable() {
        assertEquals(0, WeightedIcmpSelectorProvider.weightForRtt(-1), "failure");
        assertEquals(191, WeightedIcmpSelectorProvider.weightForRtt(0));
        assertEquals(191, WeightedIcmpSelectorProvider.weightForRtt(10));
        assertEquals(190, WeightedIcmpSelectorProvider.weightForRtt(11));
        assertEquals(101, WeightedIcmpSelectorProvider.weightForRtt(100));
        assertEquals(100, WeightedIcmpSelectorProvider.weightForRtt(101));
        assertEquals(1, WeightedIcmpSelectorProvider.weightForRtt(200));
        assertEquals(1, WeightedIcmpSelectorProvider.weightForRtt(201));
        assertEquals(1, WeightedIcmpSelectorProvider.weightForRtt(999));
        assertEquals(0, WeightedIcmpSelectorProvider.weightForRtt(1000), "Go's failure value");
        assertEquals(0, WeightedIcmpSelectorProvider.weightForRtt(Long.MAX_VALUE));
    }

    @Test
    void targets() {
        assertEquals(InetSocketAddress.createUnresolved("127.0.0.1", 8972),
                WeightedIcmpSelectorProvider.tcpTarget("tcp@127.0.0.1:8972"));
        assertEquals(InetSocketAddress.createUnresolved("::1", 8972),
                WeightedIcmpSelectorProvider.tcpTarget("tcp6@[::1]:8972"));
        assertEquals(InetSocketAddress.createUnresolved("example.com", 80),
                WeightedIcmpSelectorProvider.tcpTarget("example.com:80"));
        assertNull(WeightedIcmpSelectorProvider.tcpTarget("unix@/tmp/rpcx.sock"));
        assertNull(WeightedIcmpSelectorProvider.tcpTarget("memu@service"));
        assertNull(WeightedIcmpSelectorProvider.tcpTarget("quic@127.0.0.1:8972"));
        assertNull(WeightedIcmpSelectorProvider.tcpTarget("tcp@127.0.0.1:port"));
    }

    @Test
    void settings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WeightedIcmpSelectorProvider().create(Map.of("interval", "30s")));
        assertTrue(e.getMessage().contains("interval"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new WeightedIcmpSelectorProvider().create(Map.of("timeout", "PT0S")));
        assertTrue(e.getMessage().contains("timeout"), e.getMessage());
        new WeightedIcmpSelectorProvider().create(Map.of("latitude", "1")).close(); // others ignored
    }

    @Test
    void liveServerGets191RefusedGetsZeroAndIsNeverPicked() throws Exception {
        try (ServerSocket live = listen()) {
            String liveAddress = "tcp@127.0.0.1:" + live.getLocalPort();
            String refused = refusedAddress();
            WeightedIcmpSelectorProvider.WeightedIcmpSelector s = selector("PT30S");
            try {
                s.updateServers(Map.of(liveAddress, "", refused, "", "unix@/tmp/none.sock", ""));
                await(() -> s.refreshes() >= 1, "the first measurement");
                assertEquals(Map.of(liveAddress, 191, refused, 0, "unix@/tmp/none.sock", 1), s.weights());
                Map<String, Integer> c = new HashMap<>();
                for (int i = 0; i < 1920; i++) {
                    c.merge(s.select(CTX), 1, Integer::sum);
                }
                assertEquals(Map.of(liveAddress, 1910, "unix@/tmp/none.sock", 10), c);
            } finally {
                s.close();
            }
        }
    }

    @Test
    void allUnreachableSpreadsEvenly() throws Exception {
        String a = refusedAddress();
        String b = refusedAddress();
        WeightedIcmpSelectorProvider.WeightedIcmpSelector s = selector("PT30S");
        try {
            s.updateServers(Map.of(a, "", b, ""));
            await(() -> s.refreshes() >= 1, "the first measurement");
            assertEquals(Map.of(a, 0, b, 0), s.weights());
            Map<String, Integer> c = new HashMap<>();
            for (int i = 0; i < 100; i++) {
                c.merge(s.select(CTX), 1, Integer::sum);
            }
            assertEquals(a.equals(b) ? Map.of(a, 100) : Map.of(a, 50, b, 50), c);
        } finally {
            s.close();
        }
    }

    @Test
    void backgroundRefreshFollowsTheServer() throws Exception {
        ServerSocket live = listen();
        String liveAddress = "tcp@127.0.0.1:" + live.getLocalPort();
        try (ServerSocket other = listen()) {
            String otherAddress = "tcp@127.0.0.1:" + other.getLocalPort();
            WeightedIcmpSelectorProvider.WeightedIcmpSelector s = selector("PT0.1S");
            try {
                s.updateServers(Map.of(liveAddress, "", otherAddress, ""));
                await(() -> s.refreshes() >= 1, "the first measurement");
                assertEquals(191, s.weights().get(liveAddress));
                long before = s.refreshes();
                await(() -> s.refreshes() >= before + 3, "periodic measurements");
                live.close(); // now refused
                await(() -> s.weights().get(liveAddress) == 0, "the closed server's weight to drop to 0");
                for (int i = 0; i < 200; i++) {
                    assertEquals(otherAddress, s.select(CTX));
                }
            } finally {
                s.close();
            }
        } finally {
            live.close();
        }
    }

    @Test
    void selectNeverWaitsForMeasurement() throws Exception {
        WeightedIcmpSelectorProvider.WeightedIcmpSelector s = selector("PT30S");
        try {
            // TEST-NET-1 (RFC 5737): a probe hangs until its timeout or fails; either way not on this thread
            String blackhole = "tcp@192.0.2.1:9";
            long t0 = System.nanoTime();
            s.updateServers(Map.of(blackhole, ""));
            String pick = s.select(CTX);
            long took = System.nanoTime() - t0;
            assertEquals(blackhole, pick, "a new server has weight 1 until measured");
            assertTrue(took < Duration.ofMillis(200).toNanos(), "updateServers+select took " + took / 1e6 + " ms");
            assertNotNull(s.probeThread());
        } finally {
            s.close();
        }
    }

    @Test
    void closeStopsTheThread() throws Exception {
        WeightedIcmpSelectorProvider.WeightedIcmpSelector s = selector("PT0.05S");
        try (ServerSocket live = listen()) {
            s.updateServers(Map.of("tcp@127.0.0.1:" + live.getLocalPort(), ""));
            await(() -> s.refreshes() >= 2, "measurements");
            Thread t = s.probeThread();
            assertNotNull(t);
            assertTrue(t.isDaemon());
            assertTrue(t.getName().startsWith("rpcx-weightedicmp-"), t.getName());
            s.close();
            t.join(5000);
            assertFalse(t.isAlive(), "probe thread still alive after close");
            long after = s.refreshes();
            Thread.sleep(200);
            assertEquals(after, s.refreshes(), "no measurement after close");
            s.updateServers(Map.of("tcp@127.0.0.1:1", "")); // still usable, no new thread
            assertEquals("tcp@127.0.0.1:1", s.select(CTX));
            assertEquals(t, s.probeThread());
        }
    }

    @Test
    void noThreadBeforeServers() {
        WeightedIcmpSelectorProvider.WeightedIcmpSelector s = selector("PT30S");
        assertNull(s.probeThread());
        assertNull(s.select(CTX));
        s.close();
    }

    @Test
    void probeMeasuresLoopbackAndRefusal() throws Exception {
        try (ServerSocket live = listen()) {
            InetSocketAddress up = InetSocketAddress.createUnresolved("127.0.0.1", live.getLocalPort());
            String r = refusedAddress();
            InetSocketAddress down = InetSocketAddress.createUnresolved("127.0.0.1",
                    Integer.parseInt(r.substring(r.lastIndexOf(':') + 1)));
            InetSocketAddress unknown = InetSocketAddress.createUnresolved("no-such-host.invalid", 1);
            Map<InetSocketAddress, Long> one = WeightedIcmpSelectorProvider.probe(Set.of(up, down, unknown),
                    Duration.ofSeconds(2));
            assertTrue(one.get(up) >= 0 && one.get(up) < 1_000_000_000L, "loopback RTT " + one.get(up));
            assertEquals(-1L, one.get(down));
            assertEquals(-1L, one.get(unknown));
            Map<InetSocketAddress, Long> rtt = WeightedIcmpSelectorProvider.sample(Set.of(up, down, unknown),
                    Duration.ofSeconds(2));
            System.out.printf("loopback TCP connect RTT: one probe %.3f ms, best of up to 3: %.3f ms%n",
                    one.get(up) / 1e6, rtt.get(up) / 1e6);
            assertTrue(rtt.get(up) >= 0 && rtt.get(up) < 11_000_000L, "loopback RTT " + rtt.get(up));
            assertEquals(-1L, rtt.get(down));
            assertEquals(-1L, rtt.get(unknown));
        }
    }
}
