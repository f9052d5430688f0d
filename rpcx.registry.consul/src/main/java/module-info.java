/**
 * Go rpcx's Consul registry ({@code rpcx-consul}): Go's layout in the Consul KV store (not Consul services), each
 * server node held by a TTL session with {@code Behavior=delete} renewed on every re-put, and a discovery that
 * follows the keys with blocking queries. Chosen by {@code consul://host:port/basePath} addresses, never by being
 * present.
 */
module rpcx.registry.consul {
    requires transitive rpcx.api;
    requires consul.client;

    exports rpcx.registry.consul;

    provides rpcx.api.spi.DiscoveryProvider with rpcx.registry.consul.internal.ConsulDiscoveryProvider;
}
