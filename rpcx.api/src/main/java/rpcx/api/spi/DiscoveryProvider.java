package rpcx.api.spi;

import java.net.URI;

/**
 * A ServiceLoader provider of service discovery, chosen by the scheme of an address such as
 * {@code etcd://127.0.0.1:2379/rpcx_test}. Discovery is only used when user code or configuration names it.
 */
public interface DiscoveryProvider extends Provider {
    /** The URI scheme this provider serves; by convention equal to {@link #name()}. */
    default String scheme() {
        return name();
    }

    /** Creates a discovery for one service at the given registry address. */
    ServiceDiscovery create(URI registry, String servicePath);

    /**
     * Creates the server plugin that publishes services at the given registry address under
     * {@code serviceAddress}. Registries without server registration keep the default, which refuses.
     *
     * @throws rpcx.api.RpcConfigurationException when this registry cannot register servers
     */
    default rpcx.api.RegistryPlugin registration(URI registry, String serviceAddress) {
        throw new rpcx.api.RpcConfigurationException("the " + name() + " registry (" + registry.getScheme()
                + "://) can discover servers but not register them");
    }

    /**
     * Opens the registry's whole tree for tools ({@code rpcx list}, {@code rpcx state}). Registries without it keep
     * the default, which refuses.
     *
     * @throws rpcx.api.RpcConfigurationException when this registry cannot be browsed
     */
    default RegistryBrowser browser(URI registry) {
        throw new rpcx.api.RpcConfigurationException("the " + name() + " registry (" + registry.getScheme()
                + "://) cannot be browsed");
    }
}
