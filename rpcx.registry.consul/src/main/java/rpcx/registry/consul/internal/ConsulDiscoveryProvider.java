package rpcx.registry.consul.internal;

import java.net.URI;

import rpcx.api.RegistryPlugin;
import rpcx.api.spi.DiscoveryProvider;
import rpcx.api.spi.RegistryBrowser;
import rpcx.api.spi.ServiceDiscovery;
import rpcx.registry.consul.ConsulOptions;

/** {@code consul://host:port/basePath}: discovery and registration in the Consul KV store. */
public final class ConsulDiscoveryProvider implements DiscoveryProvider {
    @Override
    public String name() {
        return "consul";
    }

    @Override
    public ServiceDiscovery create(URI registry, String servicePath) {
        return new ConsulDiscovery(ConsulOptions.parse(registry), servicePath);
    }

    @Override
    public RegistryPlugin registration(URI registry, String serviceAddress) {
        return new ConsulRegistration(ConsulOptions.parse(registry), serviceAddress);
    }

    @Override
    public RegistryBrowser browser(URI registry) {
        return new ConsulBrowser(ConsulOptions.parse(registry));
    }
}
