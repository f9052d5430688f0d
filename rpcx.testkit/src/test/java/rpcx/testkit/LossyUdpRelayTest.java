package rpcx.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The lossy relay does to datagrams what it is told, with repeatable decisions. */
class LossyUdpRelayTest {
    /** A UDP target that records the numbers it receives and echoes each datagram. */
    private static final class Target implements AutoCloseable {
        final DatagramChannel channel;
        final List<Integer> seen = new CopyOnWriteArrayList<>();

        Target() throws Exception {
            channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread t = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocate(2048);
                try {
                    while (true) {
                        b.clear();
                        var from = channel.receive(b);
                        b.flip();
                        seen.add(b.getInt(0));
                        channel.send(b, from);
                    }
                } catch (Exception closed) {
                    // done
                }
            });
            t.setDaemon(true);
            t.start();
        }

        InetSocketAddress address() throws Exception {
            return (InetSocketAddress) channel.getLocalAddress();
        }

        @Override
        public void close() throws Exception {
            channel.close();
        }
    }

    /** Sends {@code n} numbered datagrams through the relay, paced, and returns the numbers echoed back. */
    private static List<Integer> send(LossyUdpRelay relay, int n, Duration settle) throws Exception {
        try (DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            client.configureBlocking(false);
            List<Integer> back = new ArrayList<>();
            ByteBuffer in = ByteBuffer.allocate(2048);
            for (int i = 0; i < n; i++) {
                client.send(ByteBuffer.allocate(64).putInt(0, i), relay.address());
                if (i % 20 == 19) {
                    Thread.sleep(2); // no burst the loopback socket buffers could drop
                }
                drain(client, in, back);
            }
            long end = System.nanoTime() + settle.toNanos();
            while (System.nanoTime() < end) {
                drain(client, in, back);
                Thread.sleep(5);
            }
            return back;
        }
    }

    private static void drain(DatagramChannel client, ByteBuffer in, List<Integer> back) throws Exception {
        while (true) {
            in.clear();
            if (client.receive(in) == null) {
                return;
            }
            back.add(in.getInt(0));
        }
    }

    @Test
    void aCleanPathDeliversEverythingInOrder() throws Exception {
        try (Target target = new Target();
             LossyUdpRelay relay = LossyUdpRelay.start(target.address(), LossyUdpRelay.Impairment.NONE, 1)) {
            List<Integer> back = send(relay, 300, Duration.ofMillis(300));
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                expected.add(i);
            }
            assertEquals(expected, target.seen);
            assertEquals(expected, back);
            assertEquals(300, relay.toTarget().delivered());
        }
    }

    @Test
    void lossDropsAboutTheRateAndTheSameSeedDropsTheSameDatagrams() throws Exception {
        List<List<Integer>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (Target target = new Target();
                 LossyUdpRelay relay = LossyUdpRelay.start(target.address(), LossyUdpRelay.Impairment.loss(0.2),
                         LossyUdpRelay.Impairment.NONE, 42)) {
                send(relay, 1000, Duration.ofMillis(300));
                long dropped = relay.toTarget().dropped();
                assertTrue(dropped > 140 && dropped < 260, "20 % of 1000: " + relay.toTarget());
                assertEquals(1000 - dropped, target.seen.size());
                runs.add(List.copyOf(target.seen));
            }
        }
        assertEquals(runs.get(0), runs.get(1), "the seed decides which datagrams are lost");
    }

    @Test
    void duplicationAndReorderingAndDelayHappenInBothDirections() throws Exception {
        LossyUdpRelay.Impairment bad = new LossyUdpRelay.Impairment(0, 0.3, 0.3, Duration.ofMillis(2), Duration.ofMillis(3));
        try (Target target = new Target(); LossyUdpRelay relay = LossyUdpRelay.start(target.address(), bad, 7)) {
            List<Integer> back = send(relay, 500, Duration.ofMillis(500));
            Set<Integer> distinct = new HashSet<>(target.seen);
            assertEquals(500, distinct.size(), "nothing lost");
            assertTrue(target.seen.size() > 500, "some duplicated: " + relay.toTarget());
            assertTrue(outOfOrder(target.seen), "some reordered: " + relay.toTarget());
            assertTrue(back.size() > target.seen.size(), "the answers are duplicated too: " + relay.toClient());
            assertTrue(relay.toClient().reordered() > 0 && relay.toClient().duplicated() > 0, relay.toClient().toString());
        }
    }

    private static boolean outOfOrder(List<Integer> seen) {
        for (int i = 1; i < seen.size(); i++) {
            if (seen.get(i) < seen.get(i - 1)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void eachClientGetsItsOwnSourcePortAtTheTarget() throws Exception {
        try (Target target = new Target(); LossyUdpRelay relay = LossyUdpRelay.start(target.address(), LossyUdpRelay.Impairment.NONE, 3);
             DatagramChannel a = DatagramChannel.open(); DatagramChannel b = DatagramChannel.open()) {
            a.send(ByteBuffer.allocate(4).putInt(0, 1), relay.address());
            b.send(ByteBuffer.allocate(4).putInt(0, 2), relay.address());
            a.configureBlocking(true);
            b.configureBlocking(true);
            ByteBuffer in = ByteBuffer.allocate(16);
            a.receive(in);
            assertEquals(1, in.getInt(0), "a's answer went back to a");
            in.clear();
            b.receive(in);
            assertEquals(2, in.getInt(0), "b's answer went back to b");
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }
}
