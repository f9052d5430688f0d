package rpcx.api.spi;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

import rpcx.api.ServerNode;
import rpcx.api.internal.FilteredDiscovery;

/**
 * The servers of one service, and their changes. Implementations are thread-safe. Go's
 * {@code ServiceDiscovery}.
 */
public interface ServiceDiscovery extends AutoCloseable {
    /** The current servers (may be empty; never null). */
    List<ServerNode> servers();

    /**
     * Calls the listener with the full server list on every change, until the returned handle is closed.
     * Listeners must not block.
     */
    AutoCloseable watch(Consumer<List<ServerNode>> listener);

    /** The same discovery for another service (Go's {@code Clone}), used by multi-service clients. */
    ServiceDiscovery forService(String servicePath);

    /** Stops watching and releases resources. */
    @Override
    void close();

    /**
     * This discovery showing only the nodes {@code keep} accepts, in its list, to its watchers and in its clones
     * (Go's {@code SetFilter(ServiceDiscoveryFilter)}). Closing the filtered view closes this discovery.
     *
     * @param keep whether a node is shown
     * @return the filtered view
     */
    default ServiceDiscovery withFilter(Predicate<ServerNode> keep) {
        return new FilteredDiscovery(this, keep);
    }
}
