package rpcx.api.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import rpcx.api.spi.SelectContext;
import rpcx.api.spi.Selector;
import rpcx.api.spi.SelectorProvider;

/**
 * Go's {@code WeightedICMP}: smooth weighted round-robin (the same code as {@link WeightedRoundRobinSelectorProvider})
 * over weights derived from each server's measured round-trip time with Go's table ({@link #weightForRtt}).
 *
 * <h2>How the round-trip time is measured</h2>
 * Java cannot send ICMP echo requests without privileges, so the selector measures the time a TCP connection to the
 * server's own {@code host:port} takes to establish (one round trip: SYN, SYN-ACK), then closes it. This also
 * tells whether the rpcx server itself is there: a refused or timed-out connection is a failure (weight 0), where
 * an ICMP ping would answer for a host whose server is down. ({@code InetAddress.isReachable} is not used: without
 * privileges it is itself a TCP probe, of port 7, which says nothing about the server, and it blocks one host at a
 * time.) All servers are probed in parallel with non-blocking connects on one thread, each within {@code timeout};
 * a server whose connect took 11 ms or more is probed again, up to three times in all (Go pings three times and
 * averages), and its smallest time counts. A Go rpcx server logs each probe connection's close at Info level
 * ("client has closed this connection").
 *
 * <p>Servers whose network is not TCP ({@code unix}, {@code memu}, {@code quic}, {@code kcp}...) are not probed
 * and get weight 1. (Go pings the host part of every address; a unix socket path has none, so Go gives it 0.)
 *
 * <h2>When</h2>
 * Never on the call path. Measurements run on one daemon thread per selector ({@code rpcx-weightedicmp-N}),
 * started by the first {@link Selector#updateServers}: right after every update (asynchronously) and then every
 * {@code interval}. Until its first measurement completes, a new server has weight 1, so it is selectable at once.
 * (Go pings, three times per host, synchronously inside the update and never again.) {@link Selector#close()}
 * stops the thread.
 *
 * <h2>Settings ({@link #create(Map)})</h2>
 * <ul>
 *   <li>{@code interval}: ISO-8601 duration between measurements, default {@code PT30S};</li>
 *   <li>{@code timeout}: ISO-8601 duration a probe may take, default {@code PT3S} (Go's ping timeout).</li>
 * </ul>
 * Other settings are ignored.
 *
 * <p>When every server's weight is 0 (all unreachable), every server counts as weight 1: Go's selector panics then;
 * an even spread lets the call report why the server cannot be reached.
 */
public final class WeightedIcmpSelectorProvider implements SelectorProvider {
    /** Default time between two measurements. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    /** Default limit on one probe (Go pings with a 3 s timeout). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    /** Most probes of one server per measurement (Go pings three times). */
    static final int SAMPLES = 3;

    private static final AtomicInteger THREADS = new AtomicInteger();

    /** Creates the provider; cheap (no threads until a selector gets servers). */
    public WeightedIcmpSelectorProvider() {
    }

    /** {@code "weightedicmp"}, the name of {@link rpcx.api.SelectMode#WEIGHTED_ICMP}. */
    @Override
    public String name() {
        return "weightedicmp";
    }

    /** A new selector with the default interval (30 s) and timeout (3 s). */
    @Override
    public Selector create() {
        return new WeightedIcmpSelector(DEFAULT_INTERVAL, DEFAULT_TIMEOUT);
    }

    /**
     * A new selector with settings {@code interval} and {@code timeout} (ISO-8601 durations such as {@code PT10S});
     * missing settings take their defaults, other settings are ignored.
     *
     * @throws IllegalArgumentException when {@code interval} or {@code timeout} is not a positive ISO-8601 duration
     *                                  (the message names the setting)
     */
    @Override
    public Selector create(Map<String, String> settings) {
        Map<String, String> s = settings == null ? Map.of() : settings;
        return new WeightedIcmpSelector(duration(s, "interval", DEFAULT_INTERVAL),
                duration(s, "timeout", DEFAULT_TIMEOUT));
    }

    private static Duration duration(Map<String, String> settings, String key, Duration dflt) {
        String v = settings.get(key);
        if (v == null) {
            return dflt;
        }
        Duration d;
        try {
            d = Duration.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("weightedicmp selector setting " + key + "=" + v
                    + " is not an ISO-8601 duration such as PT30S", e);
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("weightedicmp selector setting " + key + "=" + v + " must be positive");
        }
        return d;
    }

    /**
     * Go's {@code CalculateWeight}: the weight for a round-trip time in whole milliseconds (Go truncates the
     * average RTT to milliseconds). {@code 0..10} gives 191; {@code 11..200} gives {@code 201 - rtt} (190 down to 1);
     * {@code 201..999} gives 1; {@code 1000} or more, and negative values (Go's failure value is 1000, use
     * {@code -1} here), give 0.
     */
    public static int weightForRtt(long rttMillis) {
        if (rttMillis >= 0 && rttMillis <= 10) {
            return 191;
        }
        if (rttMillis > 10 && rttMillis <= 200) {
            return (int) (201 - rttMillis);
        }
        if (rttMillis > 200 && rttMillis < 1000) {
            return 1;
        }
        return 0;
    }

    /** Whether a network is probed with a TCP connect; others get weight 1. */
    static boolean isTcpNetwork(String network) {
        return switch (network) {
            case "tcp", "tcp4", "tcp6", "http", "reuseport" -> true;
            default -> false;
        };
    }

    /**
     * The host and port of an address {@code network@host:port} (IPv6 hosts in brackets), or null when the
     * network is not TCP or the address has no valid port.
     */
    static InetSocketAddress tcpTarget(String address) {
        int at = address.indexOf('@');
        String network = at < 0 ? "tcp" : address.substring(0, at);
        if (!isTcpNetwork(network)) {
            return null;
        }
        String hp = address.substring(at + 1);
        int colon = hp.lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        String host = hp.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            return null;
        }
        int port;
        try {
            port = Integer.parseInt(hp.substring(colon + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (port < 0 || port > 65535) {
            return null;
        }
        return InetSocketAddress.createUnresolved(host.isEmpty() ? "localhost" : host, port);
    }

    /**
     * Measures the TCP connect time to every target in parallel on the calling thread. Returns the RTT in
     * nanoseconds for each target, or {@code -1} for a failure (unresolvable, refused, unreachable, timed out).
     * Returns early, with the unfinished targets failed, when the thread is interrupted.
     */
    static Map<InetSocketAddress, Long> probe(Set<InetSocketAddress> targets, Duration timeout) {
        Map<InetSocketAddress, Long> out = new HashMap<>();
        for (InetSocketAddress t : targets) {
            out.put(t, -1L);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<SocketChannel> open = new ArrayList<>();
        try (java.nio.channels.Selector sel = java.nio.channels.Selector.open()) {
            // resolve first (name lookups may block), so no lookup runs while a connect is being timed
            Map<InetSocketAddress, InetSocketAddress> resolvedTargets = new LinkedHashMap<>();
            for (InetSocketAddress t : targets) {
                if (Thread.currentThread().isInterrupted() || System.nanoTime() - deadline >= 0) {
                    break;
                }
                InetSocketAddress resolved = new InetSocketAddress(t.getHostString(), t.getPort());
                if (!resolved.isUnresolved()) {
                    resolvedTargets.put(t, resolved);
                }
            }
            for (Map.Entry<InetSocketAddress, InetSocketAddress> e : resolvedTargets.entrySet()) {
                InetSocketAddress t = e.getKey();
                InetSocketAddress resolved = e.getValue();
                SocketChannel ch = null;
                try {
                    ch = SocketChannel.open();
                    open.add(ch);
                    ch.configureBlocking(false);
                    long start = System.nanoTime();
                    if (ch.connect(resolved)) {
                        out.put(t, System.nanoTime() - start);
                        ch.close();
                    } else {
                        ch.register(sel, SelectionKey.OP_CONNECT, new Object[] {t, start});
                    }
                } catch (IOException | RuntimeException refusedOrUnreachable) {
                    closeQuietly(ch);
                }
            }
            int pending = sel.keys().size();
            while (pending > 0 && !Thread.currentThread().isInterrupted()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                sel.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                long now = System.nanoTime();
                Iterator<SelectionKey> it = sel.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    Object[] a = (Object[]) key.attachment();
                    SocketChannel ch = (SocketChannel) key.channel();
                    try {
                        if (ch.finishConnect()) {
                            out.put((InetSocketAddress) a[0], now - (Long) a[1]);
                        } else {
                            continue;
                        }
                    } catch (IOException | RuntimeException refused) {
                        // failure: stays -1
                    }
                    key.cancel();
                    closeQuietly(ch);
                    pending--;
                }
            }
        } catch (IOException selectorFailed) {
            // whatever was measured stands; the rest failed
        } finally {
            for (SocketChannel ch : open) {
                closeQuietly(ch);
            }
        }
        return out;
    }

    /**
     * Up to {@link #SAMPLES} probes (Go pings {@code Count = 3} times): the targets whose best time so far is above
     * 10 ms (where the weight still depends on it) are probed again; a failure is not retried. Returns the smallest
     * time per target in nanoseconds, or {@code -1} when the first probe failed. The minimum, where Go averages, is
     * the estimate least disturbed by a busy client (a garbage collection or a cold JIT during one probe).
     */
    static Map<InetSocketAddress, Long> sample(Set<InetSocketAddress> targets, Duration timeout) {
        Map<InetSocketAddress, Long> best = probe(targets, timeout);
        long maxWeightBelow = TimeUnit.MILLISECONDS.toNanos(11);
        for (int round = 1; round < SAMPLES && !Thread.currentThread().isInterrupted(); round++) {
            Set<InetSocketAddress> again = new HashSet<>();
            best.forEach((t, nanos) -> {
                if (nanos >= maxWeightBelow) {
                    again.add(t);
                }
            });
            if (again.isEmpty()) {
                break;
            }
            probe(again, timeout).forEach((t, nanos) -> {
                if (nanos >= 0 && nanos < best.get(t)) {
                    best.put(t, nanos);
                }
            });
        }
        return best;
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** The selector: an immutable WRR generation replaced when the servers or their weights change. */
    static final class WeightedIcmpSelector implements Selector {
        private final Duration interval;
        private final Duration timeout;
        private final Object lock = new Object();
        private final AtomicBoolean refreshQueued = new AtomicBoolean();
        private volatile SmoothWeightedSequence sequence = SmoothWeightedSequence.EMPTY;
        private volatile Thread thread;
        /** Current servers, sorted by address (guarded by lock). */
        private Map<String, String> servers = new TreeMap<>();
        /** Weights measured so far, by address (guarded by lock). */
        private final Map<String, Integer> measured = new HashMap<>();
        /** The weights the current generation was built with (guarded by lock). */
        private Map<String, Integer> built = Map.of();
        private ScheduledThreadPoolExecutor executor; // guarded by lock
        private boolean closed; // guarded by lock
        private volatile long refreshes;

        WeightedIcmpSelector(Duration interval, Duration timeout) {
            this.interval = interval;
            this.timeout = timeout;
        }

        @Override
        public String select(SelectContext context) {
            return sequence.next();
        }

        @Override
        public void updateServers(Map<String, String> newServers) {
            synchronized (lock) {
                servers = new TreeMap<>(newServers);
                measured.keySet().retainAll(servers.keySet());
                rebuild(true);
                if (closed) {
                    return;
                }
                if (executor == null) {
                    executor = new ScheduledThreadPoolExecutor(1, r -> {
                        Thread t = new Thread(r, "rpcx-weightedicmp-" + THREADS.incrementAndGet());
                        t.setDaemon(true);
                        thread = t;
                        return t;
                    });
                    executor.setRemoveOnCancelPolicy(true);
                    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
                    long every = interval.toNanos();
                    executor.scheduleWithFixedDelay(this::refreshQuietly, every, every, TimeUnit.NANOSECONDS);
                }
                if (refreshQueued.compareAndSet(false, true)) {
                    executor.execute(() -> {
                        refreshQueued.set(false);
                        refreshQuietly();
                    });
                }
            }
        }

        @Override
        public void close() {
            synchronized (lock) {
                closed = true;
                if (executor != null) {
                    executor.shutdownNow();
                }
            }
        }

        /** The probe thread, once started (for tests). */
        Thread probeThread() {
            return thread;
        }

        /** How many measurements have completed (for tests). */
        long refreshes() {
            return refreshes;
        }

        /** The weights in use, by address (for tests). */
        Map<String, Integer> weights() {
            synchronized (lock) {
                return new LinkedHashMap<>(built);
            }
        }

        private void refreshQuietly() {
            try {
                refresh();
            } catch (RuntimeException e) {
                // keep the schedule alive; the previous weights stand
            }
        }

        /** Measures every current server (off the lock) and publishes a new generation if a weight changed. */
        private void refresh() {
            Map<String, InetSocketAddress> targets = new HashMap<>();
            synchronized (lock) {
                if (closed) {
                    return;
                }
                for (String address : servers.keySet()) {
                    targets.put(address, tcpTarget(address));
                }
            }
            Set<InetSocketAddress> tcp = new HashSet<>(targets.values());
            tcp.remove(null);
            Map<InetSocketAddress, Long> rtts = sample(tcp, timeout);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            synchronized (lock) {
                if (closed) {
                    return;
                }
                for (Map.Entry<String, InetSocketAddress> e : targets.entrySet()) {
                    if (!servers.containsKey(e.getKey())) {
                        continue;
                    }
                    int w;
                    if (e.getValue() == null) {
                        w = 1;
                    } else {
                        long nanos = rtts.getOrDefault(e.getValue(), -1L);
                        w = weightForRtt(nanos < 0 ? -1 : nanos / 1_000_000);
                    }
                    measured.put(e.getKey(), w);
                }
                rebuild(false);
                refreshes++;
            }
        }

        /** Publishes a generation from the current servers and weights (new servers: 1); caller holds lock. */
        private void rebuild(boolean force) {
            Map<String, Integer> weights = new LinkedHashMap<>();
            for (String address : servers.keySet()) {
                weights.put(address, measured.getOrDefault(address, 1));
            }
            if (!force && weights.equals(built)) {
                return;
            }
            String[] addresses = weights.keySet().toArray(String[]::new);
            long[] w = new long[addresses.length];
            for (int i = 0; i < addresses.length; i++) {
                w[i] = weights.get(addresses[i]);
            }
            sequence = SmoothWeightedSequence.build(addresses, w);
            built = weights;
        }
    }
}
