package rpcx.api;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import rpcx.api.internal.Executors2;
import rpcx.api.internal.Watchers;
import rpcx.api.spi.ServiceDiscovery;

/**
 * Go's {@code NewDNSDiscovery(domain, network, port, d)}: the servers are the addresses a host name resolves to
 * (A and AAAA records), each as {@code network@ip:port}, looked up at once and then every interval — a Kubernetes
 * headless Service, say. Every service is served by the same addresses ({@link #forService} makes another such
 * discovery, as Go's {@code Clone}).
 *
 * <p>As in Go, the list is sorted by address, and a failed lookup keeps the last list. Differences: watchers are
 * told only when the list changed (Go sends it after every lookup), and IPv6 addresses are written in brackets
 * ({@code tcp@[fd00::1]:8972}; Go writes {@code tcp@fd00::1:8972}, which its own dialer cannot parse).
 */
public final class DnsDiscovery implements ServiceDiscovery {
    private static final System.Logger LOG = System.getLogger("rpcx.client");

    /** Resolves a host name to its addresses; the JDK's resolver unless a test gives another. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final String domain;
    private final String network;
    private final int port;
    private final Duration interval;
    private final Resolver resolver;
    private final ScheduledExecutorService lookups;
    private final Watchers watchers = new Watchers();
    private volatile List<ServerNode> servers = List.of();

    DnsDiscovery(String domain, String network, int port, Duration interval, Resolver resolver) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.network = Objects.requireNonNull(network, "network");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not 0..65535");
        }
        if (interval == null || interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("the lookup interval must be positive: " + interval);
        }
        this.port = port;
        this.interval = interval;
        this.resolver = resolver;
        lookup();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, Executors2.daemon("rpcx-dns-" + domain));
        executor.setRemoveOnCancelPolicy(true);
        lookups = executor;
        lookups.scheduleWithFixedDelay(this::lookup, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Resolves {@code domain} now, then every {@code interval} on a thread of its own, until closed.
     *
     * @param domain   the host name, e.g. {@code member.default.svc.cluster.local}
     * @param network  the servers' network, e.g. {@code tcp}
     * @param port     the servers' port
     * @param interval how often to look again
     * @return the discovery, with the first lookup's servers (none if it failed)
     */
    public static DnsDiscovery of(String domain, String network, int port, Duration interval) {
        return new DnsDiscovery(domain, network, port, interval, InetAddress::getAllByName);
    }

    /** One lookup: replaces the list and tells the watchers when it changed; a failure keeps the list. */
    void lookup() {
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(domain);
        } catch (UnknownHostException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "DNS discovery: cannot look up {0}: {1}; keeping {2} server(s)",
                    domain, e.getMessage(), servers.size());
            return;
        }
        List<ServerNode> now = new ArrayList<>();
        for (InetAddress a : addresses) {
            String ip = a.getHostAddress();
            int zone = ip.indexOf('%');
            if (zone >= 0 && a instanceof Inet6Address) {
                ip = ip.substring(0, zone);
            }
            String node = network + "@" + (a instanceof Inet6Address ? "[" + ip + "]" : ip) + ":" + port;
            if (now.stream().noneMatch(n -> n.address().equals(node))) {
                now.add(ServerNode.of(node));
            }
        }
        now.sort(Comparator.comparing(ServerNode::address));
        List<ServerNode> list = List.copyOf(now);
        if (list.equals(servers)) {
            return;
        }
        servers = list;
        watchers.tell(list);
    }

    @Override
    public List<ServerNode> servers() {
        return servers;
    }

    @Override
    public AutoCloseable watch(Consumer<List<ServerNode>> listener) {
        return watchers.add(listener);
    }

    @Override
    public ServiceDiscovery forService(String servicePath) {
        return new DnsDiscovery(domain, network, port, interval, resolver);
    }

    @Override
    public void close() {
        lookups.shutdownNow();
        watchers.clear();
    }

    @Override
    public String toString() {
        return "DNS discovery of " + domain + " (" + network + ", port " + port + ", every " + interval + ")";
    }
}
