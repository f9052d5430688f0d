package rpcx.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay for tests of datagram transports (KCP, QUIC) over a bad path, where {@code tc netem} cannot be had:
 * clients send to {@link #address()}, the relay forwards to the target and the answers back, and on the way it
 * drops, duplicates, reorders and delays datagrams at set rates, decided by a seeded random generator per
 * direction (so a run is repeatable in what it decides, if not in thread timing).
 *
 * <p>Each client address gets its own upstream socket, so the target sees one source port per client, as it would
 * through a NAT. Delivery runs on one scheduler thread; every datagram is copied once.
 */
public final class LossyUdpRelay implements AutoCloseable {
    /**
     * What the path does to each datagram, in one direction.
     *
     * @param loss      the probability a datagram is dropped
     * @param duplicate the probability a delivered datagram is delivered twice
     * @param reorder   the probability a datagram is held back an extra {@code delay + jitter}, so later ones pass it
     * @param delay     the fixed delay of every datagram
     * @param jitter    a further uniform random delay from zero to this
     */
    public record Impairment(double loss, double duplicate, double reorder, Duration delay, Duration jitter) {
        /** A clean path. */
        public static final Impairment NONE = new Impairment(0, 0, 0, Duration.ZERO, Duration.ZERO);

        /** Checks the rates. */
        public Impairment {
            for (double p : new double[] {loss, duplicate, reorder}) {
                if (p < 0 || p > 1) {
                    throw new IllegalArgumentException("a probability must be within [0, 1]: " + p);
                }
            }
            if (delay.isNegative() || jitter.isNegative()) {
                throw new IllegalArgumentException("negative delay or jitter");
            }
        }

        /** Only this loss rate. */
        public static Impairment loss(double rate) {
            return new Impairment(rate, 0, 0, Duration.ZERO, Duration.ZERO);
        }
    }

    /** Counts of one direction. */
    public static final class Counts {
        private final AtomicLong received = new AtomicLong();
        private final AtomicLong dropped = new AtomicLong();
        private final AtomicLong duplicated = new AtomicLong();
        private final AtomicLong reordered = new AtomicLong();
        private final AtomicLong delivered = new AtomicLong();

        /** Datagrams that reached the relay. */
        public long received() {
            return received.get();
        }

        /** Datagrams dropped. */
        public long dropped() {
            return dropped.get();
        }

        /** Datagrams sent twice. */
        public long duplicated() {
            return duplicated.get();
        }

        /** Datagrams held back. */
        public long reordered() {
            return reordered.get();
        }

        /** Datagrams sent on (a duplicate counts twice). */
        public long delivered() {
            return delivered.get();
        }

        @Override
        public String toString() {
            return "received " + received + ", dropped " + dropped + ", duplicated " + duplicated + ", reordered "
                    + reordered + ", delivered " + delivered;
        }
    }

    private final InetSocketAddress target;
    private final DatagramChannel front;
    private final Direction toTarget;
    private final Direction toClient;
    private final Map<SocketAddress, DatagramChannel> upstream = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "lossy-relay-delivery"));
    private volatile boolean closed;

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** One direction's impairment, random generator and counts. */
    private static final class Direction {
        final Impairment impairment;
        final Random random;
        final Counts counts = new Counts();

        Direction(Impairment impairment, long seed) {
            this.impairment = impairment;
            this.random = new Random(seed);
        }
    }

    private LossyUdpRelay(InetSocketAddress target, Impairment toTarget, Impairment toClient, long seed) throws IOException {
        this.target = target;
        this.toTarget = new Direction(toTarget, seed);
        this.toClient = new Direction(toClient, seed * 31 + 17);
        this.front = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        daemon(this::readFront, "lossy-relay-front").start();
    }

    /**
     * Starts a relay on a free port of the loopback address.
     *
     * @param target   where datagrams go
     * @param toTarget what happens to datagrams from clients to the target
     * @param toClient what happens to the answers
     * @param seed     the seed of the decisions
     */
    public static LossyUdpRelay start(InetSocketAddress target, Impairment toTarget, Impairment toClient, long seed)
            throws IOException {
        return new LossyUdpRelay(target, toTarget, toClient, seed);
    }

    /** Starts a relay impairing both directions alike. */
    public static LossyUdpRelay start(InetSocketAddress target, Impairment both, long seed) throws IOException {
        return start(target, both, both, seed);
    }

    /** Where clients send: {@code 127.0.0.1:port}. */
    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) front.getLocalAddress();
    }

    /** The counts of datagrams from clients to the target. */
    public Counts toTarget() {
        return toTarget.counts;
    }

    /** The counts of datagrams from the target to clients. */
    public Counts toClient() {
        return toClient.counts;
    }

    private void readFront() {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        while (!closed) {
            try {
                buf.clear();
                SocketAddress client = front.receive(buf);
                buf.flip();
                DatagramChannel up = upstream.computeIfAbsent(client, this::openUpstream);
                relay(toTarget, buf, up, target);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private DatagramChannel openUpstream(SocketAddress client) {
        try {
            DatagramChannel up = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            daemon(() -> readUpstream(up, client), "lossy-relay-upstream").start();
            return up;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void readUpstream(DatagramChannel up, SocketAddress client) {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        while (!closed) {
            try {
                buf.clear();
                up.receive(buf);
                buf.flip();
                relay(toClient, buf, front, client);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** Decides the datagram's fate (in arrival order, so the seeded decisions repeat) and schedules its delivery. */
    private void relay(Direction d, ByteBuffer datagram, DatagramChannel out, SocketAddress to) {
        d.counts.received.incrementAndGet();
        byte[] copy = new byte[datagram.remaining()];
        datagram.get(copy);
        Impairment i = d.impairment;
        long delay;
        int copies;
        synchronized (d) {
            if (d.random.nextDouble() < i.loss()) {
                d.counts.dropped.incrementAndGet();
                return;
            }
            delay = i.delay().toNanos() + (long) (d.random.nextDouble() * i.jitter().toNanos());
            if (d.random.nextDouble() < i.reorder()) {
                d.counts.reordered.incrementAndGet();
                delay += Math.max(TimeUnit.MILLISECONDS.toNanos(5), i.delay().toNanos() + i.jitter().toNanos());
            }
            copies = d.random.nextDouble() < i.duplicate() ? 2 : 1;
        }
        if (copies == 2) {
            d.counts.duplicated.incrementAndGet();
        }
        for (int c = 0; c < copies; c++) {
            Runnable send = () -> {
                try {
                    out.send(ByteBuffer.wrap(copy), to);
                    d.counts.delivered.incrementAndGet();
                } catch (IOException e) {
                    // closed meanwhile, or the peer is gone: the datagram is lost, as on a real path
                }
            };
            if (delay == 0 && c == 0) {
                send.run();
            } else {
                try {
                    scheduler.schedule(send, delay + c * 100_000L, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        try {
            front.close();
        } catch (IOException ignored) {
            // closing
        }
        for (DatagramChannel up : upstream.values()) {
            try {
                up.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
