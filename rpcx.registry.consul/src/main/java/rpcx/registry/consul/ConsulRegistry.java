package rpcx.registry.consul;

import rpcx.api.RegistryPlugin;
import rpcx.api.spi.ServiceDiscovery;
import rpcx.registry.consul.internal.ConsulDiscovery;
import rpcx.registry.consul.internal.ConsulRegistration;

/**
 * The Consul registry in code, for when an address string is not enough ({@code rpcx.api.Registries} takes
 * {@code consul://...} addresses). Keys are Go rpcx's, in the KV store: {@code basePath} = {@code rpcx_path},
 * {@code basePath/Service} = the service name, {@code basePath/Service/network@host:port} = the metadata query
 * string, held by a TTL session that deletes it when the server stops renewing.
 */
public final class ConsulRegistry {
    private ConsulRegistry() {
    }

    /** A plugin publishing this server's services as {@code serviceAddress}; add it to the server, close it after. */
    public static RegistryPlugin plugin(ConsulOptions options, String serviceAddress) {
        return new ConsulRegistration(options, serviceAddress);
    }

    /** The servers of one service, listed and then watched. */
    public static ServiceDiscovery discovery(ConsulOptions options, String servicePath) {
        return new ConsulDiscovery(options, servicePath);
    }
}
