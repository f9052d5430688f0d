package rpcx.api;

import java.net.URI;
import java.util.Objects;

import rpcx.api.internal.Providers;
import rpcx.api.spi.ServiceDiscovery;

/**
 * Registries chosen by address, such as {@code etcd://127.0.0.1:2379/rpcx_test}: the scheme names the registry
 * module (found through {@code ServiceLoader}; nothing is used unless named here), the rest is that module's
 * address syntax. A module on the module path does nothing until its scheme is asked for.
 *
 * <pre>{@code
 * try (RegistryPlugin registry = Registries.plugin("etcd://127.0.0.1:2379/rpcx_test", "tcp@10.0.0.5:8972")) {
 *     server.addPlugin(registry);
 *     server.register(new Arith(), "weight=7");
 *     server.serve("tcp", ":8972");
 * }
 * XClient client = XClient.create("Arith", FailMode.FAILOVER, SelectMode.RANDOM_SELECT,
 *         Registries.discovery("etcd://127.0.0.1:2379/rpcx_test", "Arith"), ClientOptions.defaults());
 * }</pre>
 */
public final class Registries {
    private Registries() {
    }

    /**
     * A discovery of one service's servers at the registry.
     *
     * @throws RpcConfigurationException when no module serves the address's scheme, or the address is malformed
     * @throws TransportException        when the registry cannot be reached
     */
    public static ServiceDiscovery discovery(String registryAddress, String servicePath) {
        URI uri = parse(registryAddress);
        return Providers.discovery(uri.getScheme()).create(uri, Objects.requireNonNull(servicePath, "servicePath"));
    }

    /**
     * A server plugin publishing this server's services at the registry under {@code serviceAddress}
     * ({@code network@host:port}, the address clients will dial).
     *
     * @throws RpcConfigurationException when no module serves the address's scheme, or it cannot register
     */
    public static RegistryPlugin plugin(String registryAddress, String serviceAddress) {
        URI uri = parse(registryAddress);
        ServerNode.of(Objects.requireNonNull(serviceAddress, "serviceAddress")); // checks network@host:port
        return Providers.discovery(uri.getScheme()).registration(uri, serviceAddress);
    }

    /**
     * The registry's whole tree, for tools: every service's nodes with their metadata, and changing a node's
     * metadata (rpcx-ui's {@code state=inactive}, a weight).
     *
     * @throws RpcConfigurationException when no module serves the address's scheme, or it cannot be browsed
     */
    public static rpcx.api.spi.RegistryBrowser browser(String registryAddress) {
        URI uri = parse(registryAddress);
        return Providers.discovery(uri.getScheme()).browser(uri);
    }

    private static URI parse(String address) {
        Objects.requireNonNull(address, "registry address");
        try {
            URI uri = new URI(address);
            if (uri.getScheme() == null) {
                throw new RpcConfigurationException("registry address " + address
                        + " names no registry: write it as scheme://host:port/basePath, e.g. etcd://127.0.0.1:2379/rpcx_test");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new RpcConfigurationException("malformed registry address " + address + ": " + e.getMessage());
        }
    }
}
