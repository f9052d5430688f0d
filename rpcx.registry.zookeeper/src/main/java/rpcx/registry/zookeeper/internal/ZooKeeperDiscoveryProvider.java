package rpcx.registry.zookeeper.internal;

import java.net.URI;

import rpcx.api.RegistryPlugin;
import rpcx.api.spi.DiscoveryProvider;
import rpcx.api.spi.RegistryBrowser;
import rpcx.api.spi.ServiceDiscovery;
import rpcx.registry.zookeeper.ZooKeeperOptions;

/** {@code zookeeper://host:port[,host:port]/basePath}: discovery and registration in ZooKeeper. */
public final class ZooKeeperDiscoveryProvider implements DiscoveryProvider {
    @Override
    public String name() {
        return "zookeeper";
    }

    @Override
    public ServiceDiscovery create(URI registry, String servicePath) {
        return new ZooKeeperDiscovery(ZooKeeperOptions.parse(registry), servicePath);
    }

    @Override
    public RegistryPlugin registration(URI registry, String serviceAddress) {
        return new ZooKeeperRegistration(ZooKeeperOptions.parse(registry), serviceAddress);
    }

    @Override
    public RegistryBrowser browser(URI registry) {
        return new ZooKeeperBrowser(ZooKeeperOptions.parse(registry));
    }
}
