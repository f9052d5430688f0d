package rpcx.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import rpcx.api.spi.SelectContext;
import rpcx.api.spi.Selector;

/** Nginx smooth weighted round-robin: shares, smoothness, weights from metadata, updates, concurrency. */
class WeightedRoundRobinSelectorTest {
    private static final SelectContext CTX = new SelectContext("Arith", "Mul", null);

    private static Selector selector(Map<String, String> servers) {
        Selector s = new WeightedRoundRobinSelectorProvider().create();
        s.updateServers(servers);
        return s;
    }

    private static Map<String, Integer> counts(Selector s, int n) {
        Map<String, Integer> c = new HashMap<>();
        for (int i = 0; i < n; i++) {
            c.merge(s.select(CTX), 1, Integer::sum);
        }
        return c;
    }

    private static void assertShares(Map<String, Integer> weights) {
        Map<String, String> servers = new LinkedHashMap<>();
        weights.forEach((k, w) -> servers.put(k, "weight=" + w));
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Integer> c = counts(selector(servers), 10_000);
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            double share = c.getOrDefault(e.getKey(), 0) / 10_000.0;
            double expected = e.getValue() / (double) total;
            System.out.printf("WRR weights %s: %s share %.4f (expected %.4f)%n", weights.values(), e.getKey(), share,
                    expected);
            assertEquals(expected, share, 0.02, e.getKey() + " share");
        }
    }

    @Test
    void providerName() {
        assertEquals("weightedroundrobin", new WeightedRoundRobinSelectorProvider().name());
        assertEquals(rpcx.api.SelectMode.WEIGHTED_ROUND_ROBIN.providerName(),
                new WeightedRoundRobinSelectorProvider().name());
    }

    @Test
    void sharesFollowWeights() {
        assertShares(Map.of("tcp@a:1", 1, "tcp@b:1", 2, "tcp@c:1", 7));
        assertShares(Map.of("tcp@a:1", 1, "tcp@b:1", 9));
    }

    @Test
    void smoothOrderIsNginxs() {
        // Derivation (current weights after adding; the max is picked and loses the total, 7):
        //  1: a5 b1 c1 -> a (a=-2)   2: a3 b2 c2 -> a (a=-4)   3: a1 b3 c3 -> b, first max (b=-4)
        //  4: a6 b-3 c4 -> a (a=-1)  5: a4 b-2 c5 -> c (c=-2)  6: a9 b-1 c-1 -> a (a=2)  7: a7 b0 c0 -> a (a=0)
        Selector s = selector(Map.of("tcp@a:1", "weight=5", "tcp@b:1", "weight=1", "tcp@c:1", "weight=1"));
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            picks.add(s.select(CTX).substring(4, 5));
        }
        assertEquals(List.of("a", "a", "b", "a", "c", "a", "a", "a", "a", "b", "a", "c", "a", "a"), picks);
    }

    @Test
    void weightsFromMetadata() {
        assertEquals(1, WeightedRoundRobinSelectorProvider.weightOf(""));
        assertEquals(1, WeightedRoundRobinSelectorProvider.weightOf("group=x"));
        assertEquals(1, WeightedRoundRobinSelectorProvider.weightOf("weight="));
        assertEquals(1, WeightedRoundRobinSelectorProvider.weightOf("weight=abc"));
        assertEquals(1, WeightedRoundRobinSelectorProvider.weightOf("weight=1.5"));
        assertEquals(1, WeightedRoundRobinSelectorProvider.weightOf("weight= 5"));
        assertEquals(1, WeightedRoundRobinSelectorProvider.weightOf("weight=\u0665")); // Arabic-Indic 5: not ASCII
        assertEquals(1, WeightedRoundRobinSelectorProvider.weightOf("weight=99999999999999999999"));
        assertEquals(1, WeightedRoundRobinSelectorProvider.weightOf("weight=7;x=1"), "ParseQuery error: ignored");
        assertEquals(7, WeightedRoundRobinSelectorProvider.weightOf("weight=7"));
        assertEquals(7, WeightedRoundRobinSelectorProvider.weightOf("weight=%2B7&weight=3"), "first value, signed");
        assertEquals(1, WeightedRoundRobinSelectorProvider.weightOf("weight=+7"), "'+' is a space in a query");
        assertEquals(0, WeightedRoundRobinSelectorProvider.weightOf("weight=0"));
        assertEquals(0, WeightedRoundRobinSelectorProvider.weightOf("weight=-3"));
        assertEquals(Integer.MAX_VALUE, WeightedRoundRobinSelectorProvider.weightOf("weight=9999999999"));
    }

    @Test
    void defaultWeightIsOne() {
        Map<String, Integer> c = counts(selector(Map.of("tcp@a:1", "", "tcp@b:1", "group=x", "tcp@c:1", "weight=x")),
                3000);
        assertEquals(Map.of("tcp@a:1", 1000, "tcp@b:1", 1000, "tcp@c:1", 1000), c);
    }

    @Test
    void zeroWeightIsNeverPickedUnlessAllAreZero() {
        Map<String, Integer> c = counts(selector(Map.of("tcp@a:1", "weight=0", "tcp@b:1", "weight=3",
                "tcp@c:1", "weight=-1")), 1000);
        assertEquals(Map.of("tcp@b:1", 1000), c);
        Map<String, Integer> all = counts(selector(Map.of("tcp@a:1", "weight=0", "tcp@b:1", "weight=0")), 1000);
        assertEquals(Map.of("tcp@a:1", 500, "tcp@b:1", 500), all);
    }

    @Test
    void emptyAndSingle() {
        Selector s = new WeightedRoundRobinSelectorProvider().create();
        assertNull(s.select(CTX));
        s.updateServers(Map.of("tcp@only:1", "weight=5"));
        assertEquals(Map.of("tcp@only:1", 100), counts(s, 100));
        s.updateServers(Map.of());
        assertNull(s.select(CTX));
    }

    @Test
    void hugeWeightsAreComputedOnTheFly() {
        // gcd reduction first: 100000:300000 is 1:3, a 4-slot period
        SmoothWeightedSequence reduced = SmoothWeightedSequence.build(new String[] {"a", "b"},
                new long[] {100_000, 300_000});
        assertEquals(4, reduced.period());
        // coprime and huge: no precomputed table, same algorithm
        Selector s = selector(Map.of("tcp@a:1", "weight=65537", "tcp@b:1", "weight=65539"));
        Map<String, Integer> c = counts(s, 10_000);
        assertEquals(0.5, c.get("tcp@a:1") / 10_000.0, 0.01);
        SmoothWeightedSequence big = SmoothWeightedSequence.build(new String[] {"a", "b", "c"},
                new long[] {5L * 70_001, 70_001, 70_001 + 1});
        assertTrue(big.period() > SmoothWeightedSequence.MAX_SLOTS);
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            first.add(big.next());
        }
        assertEquals(List.of("a", "a", "c", "a", "b", "a", "a"), first);
    }

    @Test
    void updateChangesTheDistribution() {
        Selector s = selector(Map.of("tcp@a:1", "weight=1", "tcp@b:1", "weight=9"));
        assertEquals(9000, counts(s, 10_000).get("tcp@b:1"));
        s.updateServers(Map.of("tcp@a:1", "weight=9", "tcp@b:1", "weight=1", "tcp@c:1", "weight=10"));
        Map<String, Integer> c = counts(s, 10_000);
        assertEquals(Map.of("tcp@a:1", 4500, "tcp@b:1", 500, "tcp@c:1", 5000), c);
    }

    @Test
    void concurrentSelectsAndUpdates() throws Exception {
        int generations = 400;
        List<Set<String>> sets = new ArrayList<>();
        for (int g = 0; g < generations; g++) {
            sets.add(Set.of("tcp@g" + g + "-a:1", "tcp@g" + g + "-b:1", "tcp@g" + g + "-c:1"));
        }
        Selector s = new WeightedRoundRobinSelectorProvider().create();
        AtomicInteger published = new AtomicInteger(-1);
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        AtomicInteger picks = new AtomicInteger();
        for (int t = 0; t < 8; t++) {
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    while (!done.get()) {
                        int before = published.get();
                        String pick = s.select(CTX);
                        int after = published.get();
                        if (before < 0 && pick == null) {
                            continue;
                        }
                        int g = pick == null ? -2 : Integer.parseInt(pick.substring(5, pick.indexOf('-')));
                        // the pick comes from the generation seen before, one published meanwhile, or the one
                        // being installed right now (updateServers returned, not yet marked published)
                        if (g < before || g > after + 1) {
                            throw new AssertionError("pick " + pick + " outside generations " + before + ".."
                                    + (after + 1));
                        }
                        picks.incrementAndGet();
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (int g = 0; g < generations; g++) {
            Map<String, String> m = new HashMap<>();
            int w = 1;
            for (String a : sets.get(g)) {
                m.put(a, "weight=" + w++);
            }
            s.updateServers(m);
            published.set(g);
            Thread.onSpinWait();
        }
        Thread.sleep(20);
        done.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
        if (!errors.isEmpty()) {
            fail(errors.peek());
        }
        assertTrue(picks.get() > 0);
    }
}
