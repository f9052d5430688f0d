package rpcx.api.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

import rpcx.api.ServerNode;

/** The watchers of a discovery's server list: added, told of a new list, removed. Thread-safe. */
public final class Watchers {
    private final Set<Consumer<List<ServerNode>>> listeners = new CopyOnWriteArraySet<>();

    /** Adds a watcher; closing the handle removes it (a {@code ServiceDiscovery.watch} result). */
    public AutoCloseable add(Consumer<List<ServerNode>> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Tells every watcher the new list. */
    public void tell(List<ServerNode> servers) {
        for (Consumer<List<ServerNode>> l : listeners) {
            l.accept(servers);
        }
    }

    /** Removes every watcher. */
    public void clear() {
        listeners.clear();
    }
}
