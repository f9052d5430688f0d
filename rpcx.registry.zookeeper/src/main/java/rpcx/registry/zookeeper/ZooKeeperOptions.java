package rpcx.registry.zookeeper;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import rpcx.api.RpcConfigurationException;
import rpcx.api.spi.RegistryAddress;

/**
 * Where the ZooKeeper registry is and how it publishes (Go's {@code ZooKeeperRegisterPlugin} fields and libkv's
 * ZooKeeper store).
 *
 * @param servers        the ensemble, {@code host:port} each
 * @param basePath       the node under which services live; written {@code rpcx_test} or {@code /rpcx_test}, it
 *                       is the node {@code /rpcx_test} either way, as in Go
 * @param updateInterval how often the plugin re-writes its nodes (Go's {@code UpdateInterval}). As in Go, server
 *                       nodes are ephemeral unless it is zero, when they are persistent
 * @param sessionTimeout the ZooKeeper session timeout: the ephemeral nodes of a server that died vanish after it
 *                       (libkv's default, 10 s; the server bounds it to 2–20 ticks)
 * @param timeout        the longest wait for the connection and for one request
 * @param metrics        whether each re-write adds {@code calls} and {@code connections} (Go's {@code Metrics})
 */
public record ZooKeeperOptions(List<String> servers, String basePath, Duration updateInterval, Duration sessionTimeout,
                               Duration timeout, boolean metrics) {
    /** Validates the values and normalises the base path to {@code /a/b}. */
    public ZooKeeperOptions {
        servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
        if (servers.isEmpty()) {
            throw new RpcConfigurationException("zookeeper registry: no server given");
        }
        basePath = normalize(Objects.requireNonNull(basePath, "basePath"));
        Objects.requireNonNull(updateInterval, "updateInterval");
        if (updateInterval.isNegative()) {
            throw new RpcConfigurationException("zookeeper registry: negative update interval " + updateInterval);
        }
        if (sessionTimeout.toMillis() < 1) {
            throw new RpcConfigurationException("zookeeper registry: the session timeout must be positive: " + sessionTimeout);
        }
        Objects.requireNonNull(timeout, "timeout");
    }

    private static String normalize(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty() || p.contains("//")) {
            throw new RpcConfigurationException("zookeeper registry: base path '" + path + "' must name a node, like /rpcx_test");
        }
        return "/" + p;
    }

    /** Go's example settings: one server, a 1-minute update interval, a 10 s session, no metrics; 5 s per request. */
    public static ZooKeeperOptions of(String server, String basePath) {
        return new ZooKeeperOptions(List.of(server), basePath, Duration.ofMinutes(1), Duration.ofSeconds(10),
                Duration.ofSeconds(5), false);
    }

    /**
     * Reads a registry address: {@code zookeeper://host:port[,host:port...]/basePath}, with optional query parameters
     * {@code updateInterval}, {@code sessionTimeout} and {@code timeout} as {@link Duration} texts ({@code PT10S})
     * or seconds ({@code 10}), and {@code metrics=true}.
     */
    public static ZooKeeperOptions parse(URI address) {
        RegistryAddress a = RegistryAddress.parse(address, "/rpcx");
        ZooKeeperOptions o = of(a.hosts().get(0), a.basePath());
        return new ZooKeeperOptions(a.hosts(), o.basePath, a.duration("updateInterval", o.updateInterval),
                a.duration("sessionTimeout", o.sessionTimeout), a.duration("timeout", o.timeout), a.flag("metrics"));
    }

    /** The ensemble as the ZooKeeper client takes it: {@code host:port,host:port}. */
    public String connectString() {
        return String.join(",", servers);
    }

    /** With another update interval (zero: persistent nodes, never re-written, as in Go). */
    public ZooKeeperOptions withUpdateInterval(Duration d) {
        return new ZooKeeperOptions(servers, basePath, d, sessionTimeout, timeout, metrics);
    }

    /** With another session timeout. */
    public ZooKeeperOptions withSessionTimeout(Duration d) {
        return new ZooKeeperOptions(servers, basePath, updateInterval, d, timeout, metrics);
    }

    /** With another longest wait for the connection and for one request. */
    public ZooKeeperOptions withTimeout(Duration d) {
        return new ZooKeeperOptions(servers, basePath, updateInterval, sessionTimeout, d, metrics);
    }

    /** With or without the {@code calls}/{@code connections} metrics on each re-write. */
    public ZooKeeperOptions withMetrics(boolean on) {
        return new ZooKeeperOptions(servers, basePath, updateInterval, sessionTimeout, timeout, on);
    }
}
