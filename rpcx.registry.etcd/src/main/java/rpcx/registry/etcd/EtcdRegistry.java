package rpcx.registry.etcd;

import rpcx.api.RegistryPlugin;
import rpcx.api.spi.ServiceDiscovery;
import rpcx.registry.etcd.internal.EtcdDiscovery;
import rpcx.registry.etcd.internal.EtcdRegistration;

/**
 * The etcd v3 registry in code, for when an address string is not enough ({@code rpcx.api.Registries} takes
 * {@code etcd://...} addresses). Keys and values are Go rpcx's: {@code basePath} = {@code rpcx_path},
 * {@code basePath/Service} = the service name, {@code basePath/Service/network@host:port} = the metadata query
 * string, all on one lease.
 */
public final class EtcdRegistry {
    private EtcdRegistry() {
    }

    /** A plugin publishing this server's services as {@code serviceAddress}; add it to the server, close it after. */
    public static RegistryPlugin plugin(EtcdOptions options, String serviceAddress) {
        return new EtcdRegistration(options, serviceAddress);
    }

    /** The servers of one service, listed and then watched. */
    public static ServiceDiscovery discovery(EtcdOptions options, String servicePath) {
        return new EtcdDiscovery(options, servicePath);
    }
}
