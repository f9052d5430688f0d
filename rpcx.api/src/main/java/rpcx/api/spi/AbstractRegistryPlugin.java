package rpcx.api.spi;

import rpcx.api.CallContext;
import rpcx.api.ClientConnection;
import rpcx.api.RegistryPlugin;
import rpcx.api.ServerNode;

/**
 * What Go's registry plugins (etcd, ZooKeeper, Consul) have in common, for registry modules to extend: the address
 * they publish, functions published under their service path like services, and Go's {@code calls} and
 * {@code connections} meters fed by the {@code PreCall} and {@code HandleConnAccept} hooks. A module writes the
 * nodes ({@link #publish}), removes them ({@link #unregister}) and releases its client ({@link #close}).
 */
public abstract class AbstractRegistryPlugin implements RegistryPlugin {
    private final String serviceAddress;
    /** Go's meters, for the periodic re-put when metrics are on. */
    protected final RegistryMetrics metrics = new RegistryMetrics();

    /**
     * @param serviceAddress {@code network@host:port}, the address clients will dial
     * @throws rpcx.api.RpcConfigurationException when it is not of that form
     */
    protected AbstractRegistryPlugin(String serviceAddress) {
        ServerNode.of(serviceAddress);
        this.serviceAddress = serviceAddress;
    }

    @Override
    public final String serviceAddress() {
        return serviceAddress;
    }

    /** The node of a service: {@code basePath/service/network@host:port}. */
    protected final String nodePath(String basePath, String service) {
        return basePath + "/" + service + "/" + serviceAddress;
    }

    @Override
    public final void register(String name, Object service, String metadata) {
        publish(name, metadata == null ? "" : metadata);
    }

    /** Go's plugins publish a function's service path as they do a service. */
    @Override
    public final void registerFunction(String servicePath, String name, Object function, String metadata) {
        publish(servicePath, metadata == null ? "" : metadata);
    }

    /**
     * Publishes the service's node with its metadata (never null) and keeps publishing it until unregistered; a
     * registry that cannot be reached must not fail the call but publish as soon as it answers.
     */
    protected abstract void publish(String service, String metadata);

    /** Counts the call, as Go's plugins do in {@code PreCall}. */
    @Override
    public Object preCall(CallContext context, String servicePath, String method, Object args) {
        metrics.call();
        return args;
    }

    /** Counts the connection, as Go's plugins do in {@code HandleConnAccept}. */
    @Override
    public boolean connectionAccepted(ClientConnection connection) {
        metrics.connection();
        return true;
    }
}
