package rpcx.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import rpcx.api.spi.ServiceDiscovery;

/** Go's DNSDiscovery: addresses of a host name as servers, looked up again every interval. */
class DnsDiscoveryTest {
    private static final Duration LONG = Duration.ofHours(1);

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> addresses(List<ServerNode> nodes) {
        return nodes.stream().map(ServerNode::address).toList();
    }

    @Test
    void localhostThroughTheJdkResolver() {
        try (DnsDiscovery d = DnsDiscovery.of("localhost", "tcp", 8972, LONG)) {
            List<String> nodes = addresses(d.servers());
            assertTrue(nodes.contains("tcp@127.0.0.1:8972"), nodes.toString());
            for (String n : nodes) {
                assertTrue(n.equals("tcp@127.0.0.1:8972") || n.equals("tcp@[0:0:0:0:0:0:0:1]:8972"), n);
            }
        }
    }

    @Test
    void sortedAsGoSortsKeysBracketingIpv6AndWithoutDuplicates() {
        InetAddress[] answer = {ip("10.0.0.2"), ip("fd00::1"), ip("10.0.0.10"), ip("10.0.0.2")};
        try (DnsDiscovery d = new DnsDiscovery("svc", "kcp", 9000, LONG, host -> answer)) {
            // byte-wise string order, as Go's sort of the keys: "10.0.0.10" before "10.0.0.2"
            assertEquals(List.of("kcp@10.0.0.10:9000", "kcp@10.0.0.2:9000", "kcp@[fd00:0:0:0:0:0:0:1]:9000"),
                    addresses(d.servers()));
        }
    }

    @Test
    void watchersHearChangesOnlyAndAFailedLookupKeepsTheList() throws Exception {
        AtomicReference<Object> answer = new AtomicReference<>(new InetAddress[] {ip("10.0.0.1")});
        DnsDiscovery.Resolver resolver = host -> {
            Object a = answer.get();
            if (a instanceof UnknownHostException e) {
                throw e;
            }
            return (InetAddress[]) a;
        };
        try (DnsDiscovery d = new DnsDiscovery("svc", "tcp", 1, LONG, resolver)) {
            List<List<String>> seen = new CopyOnWriteArrayList<>();
            d.watch(nodes -> seen.add(addresses(nodes)));
            d.lookup();
            assertEquals(List.of(), seen, "same answer: nobody told");
            answer.set(new InetAddress[] {ip("10.0.0.1"), ip("10.0.0.3")});
            d.lookup();
            assertEquals(List.of(List.of("tcp@10.0.0.1:1", "tcp@10.0.0.3:1")), seen);
            answer.set(new UnknownHostException("svc: no such host"));
            d.lookup();
            assertEquals(List.of("tcp@10.0.0.1:1", "tcp@10.0.0.3:1"), addresses(d.servers()), "kept after a failure");
            assertEquals(1, seen.size());
            answer.set(new InetAddress[0]);
            d.lookup();
            assertEquals(List.of(), d.servers());
            assertEquals(List.of(), seen.get(1));
        }
    }

    @Test
    void looksAgainEveryIntervalUntilClosed() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        CountDownLatch changed = new CountDownLatch(1);
        DnsDiscovery d = new DnsDiscovery("svc", "tcp", 1, Duration.ofMillis(20),
                host -> new InetAddress[] {ip(lookups.incrementAndGet() < 3 ? "10.0.0.1" : "10.0.0.2")});
        d.watch(nodes -> changed.countDown());
        assertTrue(changed.await(10, TimeUnit.SECONDS), "the list changes at the third lookup");
        assertEquals(List.of("tcp@10.0.0.2:1"), addresses(d.servers()));
        d.close();
        Thread.sleep(50);
        int after = lookups.get();
        Thread.sleep(200);
        assertEquals(after, lookups.get(), "no lookup after close");
    }

    @Test
    void clonesLookUpOnTheirOwnAndBadSettingsAreRefused() {
        AtomicInteger lookups = new AtomicInteger();
        try (DnsDiscovery d = new DnsDiscovery("svc", "tcp", 1, LONG, host -> {
            lookups.incrementAndGet();
            return new InetAddress[] {ip("10.0.0.1")};
        }); ServiceDiscovery clone = d.forService("Other")) {
            assertNotSame(d, clone);
            assertEquals(d.servers(), clone.servers());
            assertEquals(2, lookups.get());
        }
        assertThrows(IllegalArgumentException.class, () -> DnsDiscovery.of("localhost", "tcp", 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> DnsDiscovery.of("localhost", "tcp", 70000, LONG));
    }

    /** Go's SetFilter: the filtered view's list, watchers and clones show only the kept nodes. */
    @Test
    void aFilterHidesNodesEverywhere() {
        MultipleServersDiscovery all = new MultipleServersDiscovery(List.of(
                new ServerNode("tcp@10.0.0.1:1", "zone=a"), new ServerNode("tcp@10.0.0.2:1", "zone=b")));
        ServiceDiscovery zoneA = all.withFilter(n -> "a".equals(n.metadataValue("zone")));
        assertEquals(List.of("tcp@10.0.0.1:1"), addresses(zoneA.servers()));
        List<List<String>> seen = new ArrayList<>();
        zoneA.watch(nodes -> seen.add(addresses(nodes)));
        all.update(List.of(new ServerNode("tcp@10.0.0.3:1", "zone=a"), new ServerNode("tcp@10.0.0.2:1", "zone=b")));
        assertEquals(List.of(List.of("tcp@10.0.0.3:1")), seen);
        assertEquals(List.of("tcp@10.0.0.3:1"), addresses(zoneA.forService("Other").servers()));
    }
}
