package rpcx.registry.etcd;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import rpcx.api.RpcConfigurationException;
import rpcx.api.spi.RegistryAddress;

/**
 * Where the etcd registry is and how it publishes (Go's {@code EtcdV3RegisterPlugin} fields).
 *
 * @param endpoints      etcd client URLs, e.g. {@code http://127.0.0.1:2379}
 * @param basePath       the key prefix, used verbatim as Go does (e.g. {@code /rpcx_test})
 * @param updateInterval how often the plugin re-puts its nodes (Go's {@code UpdateInterval}); zero = never
 * @param leaseTtl       the TTL of the one lease every key is attached to (Go's {@code defaultTTL}, 30 s); the
 *                       plugin keeps it alive every third of it, so the keys of a dead server vanish within it
 * @param timeout        the longest wait for one etcd request
 * @param metrics        whether each re-put adds {@code calls} and {@code connections}: the mean rate per second
 *                       since the plugin started, {@code %.2f} (Go's {@code Metrics} option)
 */
public record EtcdOptions(List<String> endpoints, String basePath, Duration updateInterval, Duration leaseTtl,
                          Duration timeout, boolean metrics) {
    /** Validates the values. */
    public EtcdOptions {
        endpoints = List.copyOf(Objects.requireNonNull(endpoints, "endpoints"));
        if (endpoints.isEmpty()) {
            throw new RpcConfigurationException("etcd registry: no endpoint given");
        }
        Objects.requireNonNull(basePath, "basePath");
        if (basePath.isEmpty() || basePath.endsWith("/")) {
            throw new RpcConfigurationException("etcd registry: basePath must be non-empty and not end with '/': " + basePath);
        }
        Objects.requireNonNull(updateInterval, "updateInterval");
        if (leaseTtl.toSeconds() < 1) {
            throw new RpcConfigurationException("etcd registry: the lease TTL must be at least 1 s: " + leaseTtl);
        }
        Objects.requireNonNull(timeout, "timeout");
    }

    /** Go's defaults: one endpoint, a 1-minute update interval, a 30 s lease, no metrics; 5 s per request. */
    public static EtcdOptions of(String endpoint, String basePath) {
        return new EtcdOptions(List.of(endpoint), basePath, Duration.ofMinutes(1), Duration.ofSeconds(30),
                Duration.ofSeconds(5), false);
    }

    /**
     * Reads a registry address: {@code etcd://host:port[,host:port...]/basePath}, with optional query parameters
     * {@code updateInterval}, {@code leaseTtl} and {@code timeout} as {@link Duration} texts ({@code PT10S}) or
     * seconds ({@code 10}), and {@code metrics=true}.
     */
    public static EtcdOptions parse(URI address) {
        RegistryAddress a = RegistryAddress.parse(address, "/rpcx");
        List<String> endpoints = a.hosts().stream().map(h -> "http://" + h).toList();
        EtcdOptions o = of(endpoints.get(0), a.basePath());
        return new EtcdOptions(endpoints, o.basePath, a.duration("updateInterval", o.updateInterval),
                a.duration("leaseTtl", o.leaseTtl), a.duration("timeout", o.timeout), a.flag("metrics"));
    }

    /** With another update interval. */
    public EtcdOptions withUpdateInterval(Duration d) {
        return new EtcdOptions(endpoints, basePath, d, leaseTtl, timeout, metrics);
    }

    /** With another lease TTL. */
    public EtcdOptions withLeaseTtl(Duration d) {
        return new EtcdOptions(endpoints, basePath, updateInterval, d, timeout, metrics);
    }

    /** With another longest wait for one etcd request. */
    public EtcdOptions withTimeout(Duration d) {
        return new EtcdOptions(endpoints, basePath, updateInterval, leaseTtl, d, metrics);
    }

    /** With or without the {@code calls}/{@code connections} metrics on each re-put. */
    public EtcdOptions withMetrics(boolean on) {
        return new EtcdOptions(endpoints, basePath, updateInterval, leaseTtl, timeout, on);
    }
}
