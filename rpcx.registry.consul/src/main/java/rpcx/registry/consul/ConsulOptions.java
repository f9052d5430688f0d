package rpcx.registry.consul;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

import rpcx.api.RpcConfigurationException;
import rpcx.api.spi.RegistryAddress;

/**
 * Where the Consul registry is and how it publishes (Go's {@code ConsulRegisterPlugin} fields and libkv's Consul
 * store).
 *
 * @param agent          the Consul agent's HTTP address, {@code host:port} (one, as libkv allows)
 * @param basePath       the key prefix; a leading {@code /} is dropped as Go does ({@code /rpcx_test} and
 *                       {@code rpcx_test} are the keys {@code rpcx_test/...})
 * @param updateInterval how often the plugin re-puts its nodes and renews their sessions (Go's
 *                       {@code UpdateInterval}); zero = plain keys with no session, never re-put, as in Go
 * @param expired        Go's {@code Expired} (zero = the update interval): a node's session has the TTL
 *                       {@code (updateInterval + expired) / 2}, which Consul doubles, so the node of a dead server
 *                       goes {@code updateInterval + expired} after its last re-put. Consul refuses session TTLs
 *                       under 10 s
 * @param timeout        the longest wait for one request (blocking queries wait {@code watchWait} on top)
 * @param watchWait      how long a discovery's blocking query waits for a change (libkv: 15 s)
 * @param metrics        whether each re-put adds {@code calls} and {@code connections} (Go's {@code Metrics})
 */
public record ConsulOptions(String agent, String basePath, Duration updateInterval, Duration expired, Duration timeout,
                            Duration watchWait, boolean metrics) {
    /** Validates the values; drops a leading and a trailing {@code /} from the base path. */
    public ConsulOptions {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(basePath, "basePath");
        while (basePath.startsWith("/")) {
            basePath = basePath.substring(1);
        }
        while (basePath.endsWith("/")) {
            basePath = basePath.substring(0, basePath.length() - 1);
        }
        if (basePath.isEmpty()) {
            throw new RpcConfigurationException("consul registry: the base path must name a key prefix, like rpcx_test");
        }
        if (updateInterval.isNegative() || expired.isNegative() || timeout.isNegative() || watchWait.isNegative()) {
            throw new RpcConfigurationException("consul registry: negative durations are not allowed");
        }
    }

    /** Go's example settings: a 1-minute update interval, {@code Expired} = the interval, no metrics; 5 s per request. */
    public static ConsulOptions of(String agent, String basePath) {
        return new ConsulOptions(agent, basePath, Duration.ofMinutes(1), Duration.ZERO, Duration.ofSeconds(5),
                Duration.ofSeconds(15), false);
    }

    /**
     * Reads a registry address: {@code consul://host:port/basePath}, with optional query parameters
     * {@code updateInterval}, {@code expired}, {@code timeout} and {@code watchWait} as {@link Duration} texts
     * ({@code PT10S}) or seconds ({@code 10}), and {@code metrics=true}.
     */
    public static ConsulOptions parse(URI address) {
        RegistryAddress a = RegistryAddress.parse(address, "rpcx");
        if (a.hosts().size() != 1) {
            throw new RpcConfigurationException("consul registry: one agent address only (as Go's libkv), not " + a.hosts());
        }
        ConsulOptions o = of(a.hosts().get(0), a.basePath());
        return new ConsulOptions(o.agent, o.basePath, a.duration("updateInterval", o.updateInterval),
                a.duration("expired", o.expired), a.duration("timeout", o.timeout), a.duration("watchWait", o.watchWait),
                a.flag("metrics"));
    }

    /** The TTL Go's plugin gives its writes: {@code updateInterval + expired} (expired defaulting to the interval). */
    public Duration ttl() {
        return updateInterval.plus(expired.isZero() ? updateInterval : expired);
    }

    /** With another update interval. */
    public ConsulOptions withUpdateInterval(Duration d) {
        return new ConsulOptions(agent, basePath, d, expired, timeout, watchWait, metrics);
    }

    /** With another {@code Expired}. */
    public ConsulOptions withExpired(Duration d) {
        return new ConsulOptions(agent, basePath, updateInterval, d, timeout, watchWait, metrics);
    }

    /** With another longest wait for one request. */
    public ConsulOptions withTimeout(Duration d) {
        return new ConsulOptions(agent, basePath, updateInterval, expired, d, watchWait, metrics);
    }

    /** With another blocking-query wait. */
    public ConsulOptions withWatchWait(Duration d) {
        return new ConsulOptions(agent, basePath, updateInterval, expired, timeout, d, metrics);
    }

    /** With or without the {@code calls}/{@code connections} metrics on each re-put. */
    public ConsulOptions withMetrics(boolean on) {
        return new ConsulOptions(agent, basePath, updateInterval, expired, timeout, watchWait, on);
    }
}
