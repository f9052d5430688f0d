package rpcx.api;

import java.util.List;
import java.util.function.Consumer;

import rpcx.api.internal.Watchers;
import rpcx.api.spi.ServiceDiscovery;

/**
 * A static list of servers that can be replaced at runtime (Go's {@code NewMultipleServersDiscovery} and
 * {@code Update}); watchers see every update.
 */
public final class MultipleServersDiscovery implements ServiceDiscovery {
    private volatile List<ServerNode> servers;
    private final Watchers watchers = new Watchers();

    /** A discovery of these servers. */
    public MultipleServersDiscovery(List<ServerNode> servers) {
        this.servers = List.copyOf(servers);
    }

    /** Replaces the server list and tells every watcher. */
    public void update(List<ServerNode> newServers) {
        this.servers = List.copyOf(newServers);
        watchers.tell(this.servers);
    }

    @Override
    public List<ServerNode> servers() {
        return servers;
    }

    @Override
    public AutoCloseable watch(Consumer<List<ServerNode>> listener) {
        return watchers.add(listener);
    }

    @Override
    public ServiceDiscovery forService(String servicePath) {
        return this;
    }

    @Override
    public void close() {
        watchers.clear();
    }
}
