package rpcx.registry.etcd.internal;

import java.net.URI;

import rpcx.api.RegistryPlugin;
import rpcx.api.spi.DiscoveryProvider;
import rpcx.api.spi.RegistryBrowser;
import rpcx.api.spi.ServiceDiscovery;
import rpcx.registry.etcd.EtcdOptions;

/** {@code etcd://host:port[,host:port]/basePath}: discovery and registration in etcd v3. */
public final class EtcdDiscoveryProvider implements DiscoveryProvider {
    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public ServiceDiscovery create(URI registry, String servicePath) {
        return new EtcdDiscovery(EtcdOptions.parse(registry), servicePath);
    }

    @Override
    public RegistryPlugin registration(URI registry, String serviceAddress) {
        return new EtcdRegistration(EtcdOptions.parse(registry), serviceAddress);
    }

    @Override
    public RegistryBrowser browser(URI registry) {
        return new EtcdBrowser(EtcdOptions.parse(registry));
    }
}
