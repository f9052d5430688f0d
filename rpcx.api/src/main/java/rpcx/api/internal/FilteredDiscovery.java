package rpcx.api.internal;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

import rpcx.api.ServerNode;
import rpcx.api.spi.ServiceDiscovery;

/** A discovery showing only the nodes a filter keeps (Go's {@code SetFilter}); see {@link ServiceDiscovery#withFilter}. */
public final class FilteredDiscovery implements ServiceDiscovery {
    private final ServiceDiscovery delegate;
    private final Predicate<ServerNode> keep;

    /** Filters {@code delegate}'s lists with {@code keep}. */
    public FilteredDiscovery(ServiceDiscovery delegate, Predicate<ServerNode> keep) {
        this.delegate = Objects.requireNonNull(delegate, "discovery");
        this.keep = Objects.requireNonNull(keep, "filter");
    }

    private List<ServerNode> kept(List<ServerNode> nodes) {
        return nodes.stream().filter(keep).toList();
    }

    @Override
    public List<ServerNode> servers() {
        return kept(delegate.servers());
    }

    @Override
    public AutoCloseable watch(Consumer<List<ServerNode>> listener) {
        return delegate.watch(nodes -> listener.accept(kept(nodes)));
    }

    @Override
    public ServiceDiscovery forService(String servicePath) {
        return new FilteredDiscovery(delegate.forService(servicePath), keep);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate + " (filtered)";
    }
}
