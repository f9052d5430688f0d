package rpcx.registry.zookeeper;

import rpcx.api.RegistryPlugin;
import rpcx.api.spi.ServiceDiscovery;
import rpcx.registry.zookeeper.internal.ZooKeeperDiscovery;
import rpcx.registry.zookeeper.internal.ZooKeeperRegistration;

/**
 * The ZooKeeper registry in code, for when an address string is not enough ({@code rpcx.api.Registries} takes
 * {@code zookeeper://...} addresses). Nodes are Go rpcx's: {@code /basePath} = {@code rpcx_path},
 * {@code /basePath/Service} = the service name (both persistent), {@code /basePath/Service/network@host:port} =
 * the metadata query string (ephemeral).
 */
public final class ZooKeeperRegistry {
    private ZooKeeperRegistry() {
    }

    /** A plugin publishing this server's services as {@code serviceAddress}; add it to the server, close it after. */
    public static RegistryPlugin plugin(ZooKeeperOptions options, String serviceAddress) {
        return new ZooKeeperRegistration(options, serviceAddress);
    }

    /** The servers of one service, listed and then watched. */
    public static ServiceDiscovery discovery(ZooKeeperOptions options, String servicePath) {
        return new ZooKeeperDiscovery(options, servicePath);
    }
}
