package rpcx.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import rpcx.api.GoField;
import rpcx.api.GoType;
import rpcx.api.spi.SelectContext;
import rpcx.api.spi.Selector;

/** Jump consistent hash with removal (doublejump): vectors, key rendering, spread, stability. */
class ConsistentHashSelectorTest {
    record Args(int a) {
    }

    record Inner(int c, String d) {
    }

    record Outer(int a, Inner b) {
    }

    record Mixed(long id, List<String> tags, Map<String, Integer> counts, byte[] raw, Inner inner, String name,
                 @GoField(type = GoType.UINT64) long big) {
    }

    /** A POJO. */
    public static final class Pojo {
        public int x = 3;
        public String y = "z";

        /** Needed by the struct model. */
        public Pojo() {
        }
    }

    /** Not a struct (no no-argument constructor): rendered by class name only. */
    static final class Opaque {
        final int v;

        Opaque(int v) {
            this.v = v;
        }

        @Override
        public String toString() {
            return "Opaque@" + System.identityHashCode(this);
        }
    }

    enum Color { RED, GREEN }

    private static Map<String, String> servers(int n) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < n; i++) {
            m.put("tcp@10.0.0." + i + ":8972", "");
        }
        return m;
    }

    private static Selector selector(Map<String, String> servers) {
        Selector s = new ConsistentHashSelectorProvider().create();
        s.updateServers(servers);
        return s;
    }

    private static String[] picks(Selector s, int keys) {
        String[] out = new String[keys];
        for (int i = 0; i < keys; i++) {
            out[i] = s.select(new SelectContext("Arith", "Mul", new Args(i)));
        }
        return out;
    }

    @Test
    void providerName() {
        assertEquals(rpcx.api.SelectMode.CONSISTENT_HASH.providerName(), new ConsistentHashSelectorProvider().name());
    }

    @Test
    void fnvVectors() {
        assertEquals(0xcbf29ce484222325L, ConsistentHashing.fnv1a64(""));
        assertEquals(0xaf63dc4c8601ec8cL, ConsistentHashing.fnv1a64("a"));
        assertEquals(0x85944171f73967e8L, ConsistentHashing.fnv1a64("foobar"));
        // non-ASCII hashes its UTF-8 bytes
        String s = "h\u00e9\u4e16\uD83D\uDE00";
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        assertEquals(h, ConsistentHashing.fnv1a64(s));
    }

    @Test
    void jumpVectors() {
        // from the reference C++ implementation (as in dgryski/go-jump's tests): buckets 1, 2, 3...
        int[] k1 = {0, 0, 0, 0, 0, 0, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 17, 17};
        int[] kDeadbeef = {0, 1, 2, 3, 3, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 16, 16, 16};
        int[] kCoffee = {0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 15, 15, 15, 15};
        for (int i = 0; i < 20; i++) {
            assertEquals(0, ConsistentHashing.jump(0, i + 1));
        }
        for (int i = 0; i < k1.length; i++) {
            assertEquals(k1[i], ConsistentHashing.jump(1, i + 1), "key 1, buckets " + (i + 1));
            assertEquals(kDeadbeef[i], ConsistentHashing.jump(0xdeadbeefL, i + 1));
            assertEquals(kCoffee[i], ConsistentHashing.jump(0x0ddc0ffeebadf00dL, i + 1));
        }
        assertEquals(0, ConsistentHashing.jump(12345, 0), "Go: buckets <= 0 count as 1");
        // keys with the top bit set (negative longs) are unsigned in Go
        int b = ConsistentHashing.jump(0xfedcba9876543210L, 1000);
        assertTrue(b >= 0 && b < 1000);
    }

    @Test
    void argsKeyRendering() {
        assertEquals("{999}", ConsistentHashing.argsKey(new Args(999)));
        assertEquals("{1 {2 x}}", ConsistentHashing.argsKey(new Outer(1, new Inner(2, "x"))));
        assertEquals("{1 <nil>}", ConsistentHashing.argsKey(new Outer(1, null)));
        assertEquals("[1 2 3]", ConsistentHashing.argsKey(List.of(1, 2, 3)));
        assertEquals("map[a:1 b:2]", ConsistentHashing.argsKey(Map.of("b", 2, "a", 1)));
        assertEquals("map[9:x 10:y]", ConsistentHashing.argsKey(Map.of(10, "y", 9, "x")));
        assertEquals("map[false:0 true:1]", ConsistentHashing.argsKey(Map.of(true, 1, false, 0)));
        assertEquals("[1 2 3 255]", ConsistentHashing.argsKey(new byte[] {1, 2, 3, -1}));
        assertEquals("[4 5]", ConsistentHashing.argsKey(new int[] {4, 5}));
        assertEquals("hello world", ConsistentHashing.argsKey("hello world"));
        assertEquals("<nil>", ConsistentHashing.argsKey(null));
        assertEquals("42", ConsistentHashing.argsKey(42L));
        assertEquals("true", ConsistentHashing.argsKey(true));
        assertEquals("97", ConsistentHashing.argsKey('a'), "a Go rune prints as a number");
        assertEquals("GREEN", ConsistentHashing.argsKey(Color.GREEN));
        assertEquals("123456789012345678901234567890",
                ConsistentHashing.argsKey(new BigInteger("123456789012345678901234567890")));
        assertEquals("{3 z}", ConsistentHashing.argsKey(new Pojo()));
        assertEquals("<" + Opaque.class.getName() + ">", ConsistentHashing.argsKey(new Opaque(1)));
        assertEquals(ConsistentHashing.argsKey(new Opaque(1)), ConsistentHashing.argsKey(new Opaque(1)));
        assertEquals("<java.lang.Object>", ConsistentHashing.argsKey(new Object()));
        assertEquals("[{1} {2}]", ConsistentHashing.argsKey(List.of(new Args(1), new Args(2))));
        assertEquals("<nil>", ConsistentHashing.argsKey(Optional.empty()));
        assertEquals("x", ConsistentHashing.argsKey(Optional.of("x")));
        UUID u = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        assertEquals(u.toString(), ConsistentHashing.argsKey(u));
        assertEquals("{7 [a b] map[x:1 y:2] [1 2] {3 q} n 18446744073709551615}",
                ConsistentHashing.argsKey(new Mixed(7, List.of("a", "b"), new TreeMap<>(Map.of("y", 2, "x", 1)),
                        new byte[] {1, 2}, new Inner(3, "q"), "n", -1L)));
        assertEquals("{0 [] map[] [] <nil>  0}",
                ConsistentHashing.argsKey(new Mixed(0, null, null, null, null, null, 0)));
        // sets without an order of their own: sorted, so equal sets render alike whatever their history
        HashSet<String> h1 = new HashSet<>(List.of("b", "a", "c"));
        LinkedHashSet<String> ordered = new LinkedHashSet<>(List.of("b", "a", "c"));
        assertEquals("[a b c]", ConsistentHashing.argsKey(h1));
        assertEquals("[b a c]", ConsistentHashing.argsKey(ordered));
        assertEquals("/Arith/Mul/{999}", ConsistentHashing.keyText("Arith", "Mul", new Args(999)));
        assertEquals(ConsistentHashing.fnv1a64("/Arith/Mul/{999}"), ConsistentHashing.key("Arith", "Mul",
                new Args(999)));
    }

    @Test
    void floatsRenderLikeGo() {
        assertEquals("1.5", GoFormat.formatFloat(1.5, false));
        assertEquals("3", GoFormat.formatFloat(3.0, false));
        assertEquals("-2.25", GoFormat.formatFloat(-2.25, false));
        assertEquals("123456", GoFormat.formatFloat(123456.0, false));
        assertEquals("1e+06", GoFormat.formatFloat(1e6, false));
        assertEquals("1.234567e+06", GoFormat.formatFloat(1234567.0, false));
        assertEquals("0.0001", GoFormat.formatFloat(0.0001, false));
        assertEquals("1e-05", GoFormat.formatFloat(0.00001, false));
        assertEquals("1.5e-07", GoFormat.formatFloat(1.5e-7, false));
        assertEquals("1e+21", GoFormat.formatFloat(1e21, false));
        assertEquals("1.7976931348623157e+308", GoFormat.formatFloat(Double.MAX_VALUE, false));
        assertEquals("5e-324", GoFormat.formatFloat(Double.MIN_VALUE, false));
        assertEquals("100", GoFormat.formatFloat(100.0, false));
        assertEquals("1e+23", GoFormat.formatFloat(1e23, false));
        // Java 17's Double.toString gives 2.82879384806159008E17 here; Go's shortest form has no extra digits
        assertEquals("2.82879384806159e+17", GoFormat.formatFloat(2.82879384806159E17, false));
        assertEquals("1.6777216e+07", GoFormat.formatFloat(16777216f, true));
        assertEquals("3.4028235e+38", GoFormat.formatFloat(Float.MAX_VALUE, true));
        assertEquals("0.1", GoFormat.formatFloat(0.1f, true));
        assertEquals("0.1", ConsistentHashing.argsKey(0.1f));
        assertEquals("0.30000000000000004", ConsistentHashing.argsKey(0.1 + 0.2));
        assertEquals("0", GoFormat.formatFloat(0.0, false));
        assertEquals("-0", GoFormat.formatFloat(-0.0, false));
        assertEquals("NaN", GoFormat.formatFloat(Double.NaN, false));
        assertEquals("+Inf", GoFormat.formatFloat(Double.POSITIVE_INFINITY, false));
        assertEquals("-Inf", GoFormat.formatFloat(Double.NEGATIVE_INFINITY, false));
    }

    @Test
    void equalArgsSameServerAcrossFreshSelectors() {
        Map<String, String> forward = new LinkedHashMap<>();
        List<String> addresses = new ArrayList<>(servers(10).keySet());
        addresses.sort(null);
        addresses.forEach(a -> forward.put(a, ""));
        Map<String, String> backward = new LinkedHashMap<>();
        for (int i = addresses.size() - 1; i >= 0; i--) {
            backward.put(addresses.get(i), "");
        }
        Selector first = selector(forward);
        Selector second = selector(backward);
        assertArrayEquals(picks(first, 2000), picks(second, 2000));
        for (int i = 0; i < 100; i++) {
            SelectContext c = new SelectContext("Arith", "Mul", new Outer(i, new Inner(i * 7, "k" + i)));
            SelectContext same = new SelectContext("Arith", "Mul", new Outer(i, new Inner(i * 7, "k" + i)));
            assertEquals(first.select(c), second.select(same));
            assertEquals(first.select(c), first.select(c));
        }
        // slots of a fresh selector are in address order
        assertArrayEquals(addresses.toArray(), ((ConsistentHashSelectorProvider.ConsistentHashSelector) second)
                .looseSlots());
    }

    @Test
    void keysSpreadEvenly() {
        String[] p = picks(selector(servers(10)), 10_000);
        Map<String, Integer> c = new TreeMap<>();
        for (String s : p) {
            c.merge(s, 1, Integer::sum);
        }
        System.out.println("consistent hash, 10,000 keys over 10 servers: " + c.values());
        assertEquals(10, c.size());
        c.forEach((server, n) -> assertTrue(n >= 500 && n <= 1500, server + " got " + n));
    }

    @Test
    void removingAServerMovesOnlyItsKeys() {
        // Any scheme must move the keys of the removed server, so the best possible share kept is 100 % minus that
        // server's share: about 90 % for one of ten. Doublejump achieves exactly that, for every server removed.
        Map<String, String> all = servers(10);
        List<String> dense = new ArrayList<>(new TreeMap<>(all).keySet());
        String[] before = picks(selector(all), 10_000);
        long keptSum = 0;
        int minKept = Integer.MAX_VALUE;
        int maxKept = 0;
        long altSum = 0;
        long resortedSum = 0;
        for (String removed : dense) {
            Selector s = selector(all);
            Map<String, String> nine = new HashMap<>(all);
            nine.remove(removed);
            s.updateServers(nine);
            String[] after = picks(s, 10_000);
            int kept = 0;
            int onRemoved = 0;
            for (int i = 0; i < before.length; i++) {
                if (before[i].equals(removed)) {
                    onRemoved++;
                    assertTrue(nine.containsKey(after[i]));
                } else {
                    assertEquals(before[i], after[i], "key " + i + " was not on " + removed + " but moved");
                    kept++;
                }
            }
            assertEquals(10_000 - onRemoved, kept);
            keptSum += kept;
            minKept = Math.min(minKept, kept);
            maxKept = Math.max(maxKept, kept);
            // alternatives: plain jump over a dense table where the last server takes the removed one's slot,
            // and plain jump over the re-sorted list of the nine
            List<String> lastMoved = new ArrayList<>(dense);
            String last = lastMoved.remove(lastMoved.size() - 1);
            if (!last.equals(removed)) {
                lastMoved.set(lastMoved.indexOf(removed), last);
            }
            List<String> resorted = new ArrayList<>(new TreeMap<>(nine).keySet());
            for (int i = 0; i < before.length; i++) {
                long key = ConsistentHashing.key("Arith", "Mul", new Args(i));
                String was = dense.get(ConsistentHashing.jump(key, dense.size()));
                assertEquals(was, before[i], "no holes: the loose table is plain jump over sorted addresses");
                if (was.equals(lastMoved.get(ConsistentHashing.jump(key, lastMoved.size())))) {
                    altSum++;
                }
                if (was.equals(resorted.get(ConsistentHashing.jump(key, resorted.size())))) {
                    resortedSum++;
                }
            }
        }
        System.out.printf("remove 1 of 10 (each in turn, 10,000 keys): doublejump keeps %.2f%% on average "
                        + "(%.2f%%..%.2f%%; never moves a key of another server); last-into-freed-slot keeps %.2f%%; "
                        + "re-sorted plain jump keeps %.2f%%%n", keptSum / 1000.0, minKept / 100.0, maxKept / 100.0,
                altSum / 1000.0, resortedSum / 1000.0);
        assertTrue(keptSum / 10.0 >= 9000, "mean kept " + keptSum / 10.0);
        assertTrue(minKept >= 8800, "min kept " + minKept);
        assertTrue(keptSum > altSum && altSum > resortedSum);
        // the middle server of the table
        Selector s = selector(all);
        Map<String, String> nine = new HashMap<>(all);
        nine.remove("tcp@10.0.0.3:8972");
        s.updateServers(nine);
        String[] after = picks(s, 10_000);
        int kept = 0;
        for (int i = 0; i < before.length; i++) {
            kept += before[i].equals(after[i]) ? 1 : 0;
        }
        assertTrue(kept >= 9000, "kept " + kept);
    }

    @Test
    void addingAServerMovesFewKeys() {
        Map<String, String> all = servers(10);
        Selector s = selector(all);
        String[] before = picks(s, 10_000);
        String removed = "tcp@10.0.0.4:8972";
        Map<String, String> nine = new HashMap<>(all);
        nine.remove(removed);
        s.updateServers(nine);
        String[] after = picks(s, 10_000);

        // adding it back: only keys landing on its slot move, all of them to it
        s.updateServers(all);
        String[] back = picks(s, 10_000);
        int movedBack = 0;
        for (int i = 0; i < back.length; i++) {
            if (!back[i].equals(after[i])) {
                movedBack++;
                assertEquals(removed, back[i]);
            }
        }
        System.out.printf("adding the removed server back moves %.2f%% of keys%n", movedBack / 100.0);
        assertTrue(movedBack <= 1500, "moved " + movedBack);
        assertArrayEquals(before, back, "it takes its old slot back");

        // a new server: appended; only keys that jump to the new slot move, all of them to it
        Map<String, String> eleven = new HashMap<>(all);
        eleven.put("tcp@10.0.0.99:8972", "");
        s.updateServers(eleven);
        String[] grown = picks(s, 10_000);
        int movedNew = 0;
        for (int i = 0; i < grown.length; i++) {
            if (!grown[i].equals(back[i])) {
                movedNew++;
                assertEquals("tcp@10.0.0.99:8972", grown[i]);
            }
        }
        System.out.printf("adding an 11th server moves %.2f%% of keys%n", movedNew / 100.0);
        assertTrue(movedNew <= 1500 && movedNew >= 500, "moved " + movedNew);
    }

    @Test
    void replacingAServerMovesOnlyItsKeys() {
        Map<String, String> all = servers(10);
        Selector s = selector(all);
        String[] before = picks(s, 5000);
        Map<String, String> replaced = new HashMap<>(all);
        replaced.remove("tcp@10.0.0.2:8972");
        replaced.put("tcp@10.0.1.2:8972", "");
        s.updateServers(replaced);
        String[] after = picks(s, 5000);
        for (int i = 0; i < before.length; i++) {
            String expected = before[i].equals("tcp@10.0.0.2:8972") ? "tcp@10.0.1.2:8972" : before[i];
            assertEquals(expected, after[i]);
        }
    }

    @Test
    void emptyAndReset() {
        Selector s = selector(Map.of());
        assertNull(s.select(new SelectContext("A", "B", 1)));
        s.updateServers(servers(3));
        s.updateServers(Map.of());
        assertNull(s.select(new SelectContext("A", "B", 1)));
        s.updateServers(Map.of("tcp@x:1", ""));
        assertEquals("tcp@x:1", s.select(new SelectContext("A", "B", 1)));
        assertEquals("tcp@x:1", s.select(new SelectContext(null, null, null)));
    }

    @Test
    void manyRemovalsStillConsistent() {
        Map<String, String> all = servers(10);
        Selector s = selector(all);
        Map<String, String> few = new HashMap<>();
        few.put("tcp@10.0.0.1:8972", "");
        few.put("tcp@10.0.0.7:8972", "");
        s.updateServers(few);
        String[] p = picks(s, 2000);
        Map<String, Integer> c = new HashMap<>();
        for (String x : p) {
            c.merge(x, 1, Integer::sum);
        }
        assertEquals(few.keySet(), c.keySet());
        c.values().forEach(n -> assertTrue(n > 700, "uneven: " + c));
        assertArrayEquals(p, picks(s, 2000));
    }

    @Test
    void selectIsFast() {
        Selector s = selector(servers(10));
        SelectContext c = new SelectContext("Arith", "Mul", new Args(1));
        long t0 = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            s.select(c);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.println("100,000 consistent-hash selects: " + ms + " ms");
        assertTrue(ms < 5000);
    }
}
