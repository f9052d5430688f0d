package rpcx.transport.kcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The KCP ARQ core between two ends over a simulated datagram link with a virtual clock: loss, duplication,
 * reordering and delay, seeded; every message arrives whole, once and in order.
 */
class KcpTest {
    /** A one-way link: datagrams delivered after a delay, some lost or duplicated, delays varied (reordering). */
    private static final class Link {
        record InFlight(int at, long order, byte[] data) {
        }

        final PriorityQueue<InFlight> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Integer.compare(a.at, b.at)
                : Long.compare(a.order, b.order));
        final Random random;
        final double loss;
        final double duplicate;
        long order;
        int sent;
        int lost;
        int now;

        Link(long seed, double loss, double duplicate) {
            this.random = new Random(seed);
            this.loss = loss;
            this.duplicate = duplicate;
        }

        void send(byte[] buf, int len) {
            sent++;
            if (random.nextDouble() < loss) {
                lost++;
                return;
            }
            byte[] copy = Arrays.copyOf(buf, len);
            int copies = random.nextDouble() < duplicate ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                queue.add(new InFlight(now + 20 + random.nextInt(30), order++, copy));
            }
        }

        void deliver(int until, Kcp to) {
            while (!queue.isEmpty() && queue.peek().at <= until) {
                byte[] d = queue.poll().data;
                assertEquals(0, to.input(d, 0, d.length));
            }
        }
    }

    /** Sends the messages from a to b over links with the given loss; returns what b received, in order. */
    private static List<byte[]> exchange(List<byte[]> messages, double loss, double duplicate, boolean fast) {
        Link ab = new Link(1, loss, duplicate);
        Link ba = new Link(2, loss, duplicate);
        Kcp a = new Kcp(0x11223344, ab::send);
        Kcp b = new Kcp(0x11223344, ba::send);
        if (fast) {
            a.nodelay(1, 10, 2, true);
            b.nodelay(1, 10, 2, true);
        }
        a.windows(128, 128);
        b.windows(128, 128);
        messages.forEach(a::send);
        List<byte[]> received = new ArrayList<>();
        for (int now = 0; now < 600_000 && received.size() < messages.size(); now += 10) {
            ab.now = now;
            ba.now = now;
            a.update(now);
            b.update(now);
            ab.deliver(now, b);
            ba.deliver(now, a);
            for (byte[] m; (m = b.recv()) != null; ) {
                received.add(m);
            }
        }
        assertTrue(ab.lost > 0 || loss == 0, "the link lost datagrams");
        return received;
    }

    private static List<byte[]> messages(int n, long seed) {
        Random r = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] m = new byte[1 + r.nextInt(5000)]; // up to four segments
            r.nextBytes(m);
            out.add(m);
        }
        return out;
    }

    private static void assertSame(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "every message, once");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "message " + i + " whole and in order");
        }
    }

    @Test
    void aCleanLinkDeliversEverythingInOrder() {
        List<byte[]> m = messages(200, 1);
        assertSame(m, exchange(m, 0, 0, false));
    }

    @Test
    void fivePercentLossDuplicatesAndReorderingAreRepaired() {
        List<byte[]> m = messages(300, 2);
        assertSame(m, exchange(m, 0.05, 0.02, false));
    }

    @Test
    void twentyPercentLossIsRepairedInFastMode() {
        List<byte[]> m = messages(300, 3);
        assertSame(m, exchange(m, 0.20, 0.02, true));
    }

    @Test
    void segmentsAreWrittenInKcpsLittleEndianLayout() {
        List<byte[]> packets = new ArrayList<>();
        Kcp a = new Kcp(0x01020304, (buf, len) -> packets.add(Arrays.copyOf(buf, len)));
        a.send(new byte[] {9, 8, 7});
        a.update(1000); // the first flush opens the congestion window
        a.update(1100);
        byte[] p = packets.get(packets.size() - 1);
        assertEquals(Kcp.OVERHEAD + 3, p.length);
        assertArrayEquals(new byte[] {4, 3, 2, 1}, Arrays.copyOfRange(p, 0, 4), "conv, little-endian");
        assertEquals(Kcp.CMD_PUSH, p[4] & 0xFF);
        assertEquals(0, p[5], "frg: the last (only) fragment");
        assertEquals(Kcp.WND_RCV, (p[6] & 0xFF) | (p[7] & 0xFF) << 8, "wnd: kcp-go's receive window");
        assertEquals(1100, Kcp.le32(p, 8), "ts");
        assertEquals(0, Kcp.le32(p, 12), "sn");
        assertEquals(0, Kcp.le32(p, 16), "una");
        assertEquals(3, Kcp.le32(p, 20), "len");
        assertArrayEquals(new byte[] {9, 8, 7}, Arrays.copyOfRange(p, 24, 27));
    }

    @Test
    void badInputIsRefusedWithoutHarm() {
        Kcp b = new Kcp(7, (buf, len) -> { });
        byte[] otherConv = new byte[Kcp.OVERHEAD];
        otherConv[0] = 8;
        assertEquals(-1, b.input(otherConv, 0, otherConv.length));
        byte[] truncated = new byte[Kcp.OVERHEAD];
        truncated[0] = 7;
        truncated[4] = (byte) Kcp.CMD_PUSH;
        truncated[20] = 100; // claims 100 bytes, has none
        assertEquals(-2, b.input(truncated, 0, truncated.length));
        byte[] unknown = new byte[Kcp.OVERHEAD];
        unknown[0] = 7;
        unknown[4] = 99;
        assertEquals(-3, b.input(unknown, 0, unknown.length));
        assertNull(b.recv());
        // fragments numbered 1, 1 (never a last one): nothing is handed out, nothing breaks
        byte[] twoFirsts = new byte[2 * (Kcp.OVERHEAD + 1)];
        for (int i = 0; i < 2; i++) {
            int at = i * (Kcp.OVERHEAD + 1);
            twoFirsts[at] = 7;
            twoFirsts[at + 4] = (byte) Kcp.CMD_PUSH;
            twoFirsts[at + 5] = 1; // frg
            twoFirsts[at + 6] = 32; // wnd
            twoFirsts[at + 12] = (byte) i; // sn
            twoFirsts[at + 20] = 1; // len
        }
        assertEquals(0, b.input(twoFirsts, 0, twoFirsts.length));
        assertEquals(-1, b.peekSize());
        assertNull(b.recv());
        assertThrows(IllegalArgumentException.class, () -> b.send(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> b.send(new byte[256 * 1376]));
    }
}
