package rpcx.registry.consul.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.kiwiproject.consul.model.ConsulResponse;
import org.kiwiproject.consul.model.kv.Value;

import rpcx.api.MultipleServersDiscovery;
import rpcx.api.RpcException;
import rpcx.api.ServerNode;
import rpcx.api.spi.ServiceDiscovery;
import rpcx.api.spi.SharedResource;
import rpcx.registry.consul.ConsulOptions;

/**
 * Go's {@code ConsulDiscovery}: the keys under {@code basePath/Service/} listed once, then followed with blocking
 * queries (each answers when the prefix's index moves or the wait ends); every change hands the whole list to the
 * watchers. While Consul cannot be reached the last list stays and the query is retried every second.
 */
public final class ConsulDiscovery implements ServiceDiscovery {
    private static final System.Logger LOG = System.getLogger("rpcx.registry.consul");
    private static final long RETRY_MILLIS = 1000;

    private final ConsulOptions options;
    private final String servicePath;
    private final String directory;
    /** The client that discoveries cloned from one another share; closed with the last. */
    private final SharedResource<ConsulKv> shared;
    private final MultipleServersDiscovery nodes = new MultipleServersDiscovery(List.of());
    private final Thread watcher;
    private volatile boolean closed;

    /**
     * Lists the service's servers and starts following them.
     *
     * @throws rpcx.api.TransportException when Consul cannot be reached for the first list
     */
    public ConsulDiscovery(ConsulOptions options, String servicePath) {
        this(options, servicePath, share(new ConsulKv(options)));
    }

    private static SharedResource<ConsulKv> share(ConsulKv kv) {
        return SharedResource.of(kv, kv::close);
    }

    private ConsulDiscovery(ConsulOptions options, String servicePath, SharedResource<ConsulKv> shared) {
        this.options = options;
        this.servicePath = servicePath;
        this.directory = options.basePath() + "/" + servicePath;
        this.shared = shared;
        BigInteger index;
        try {
            ConsulResponse<List<Value>> first = shared.get().list(directory, null);
            nodes.update(servers(first.getResponse()));
            index = first.getIndex();
        } catch (RuntimeException e) {
            shared.release();
            throw e;
        }
        BigInteger start = index;
        watcher = new Thread(() -> follow(start), "rpcx-consul-discovery-" + servicePath);
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Go's filter: keys under {@code directory/}, the prefix stripped; the directory key and deeper keys left out. */
    private List<ServerNode> servers(List<Value> values) {
        if (values == null) {
            return List.of(); // Consul answers 404 when no key has the prefix
        }
        String prefix = directory + "/";
        List<ServerNode> found = new ArrayList<>();
        for (Value v : values) {
            String key = v.getKey();
            if (key.startsWith(prefix) && key.length() > prefix.length() && key.indexOf('/', prefix.length()) < 0) {
                found.add(new ServerNode(key.substring(prefix.length()), ConsulKv.text(v)));
            }
        }
        return List.copyOf(found);
    }

    /** The blocking-query loop (Go's {@code WatchTree}). */
    private void follow(BigInteger from) {
        BigInteger index = from;
        while (!closed) {
            try {
                ConsulResponse<List<Value>> r = shared.get().list(directory, index == null ? BigInteger.ZERO : index);
                BigInteger now = r.getIndex();
                if (closed) {
                    return;
                }
                if (now == null || index == null || now.compareTo(index) != 0) {
                    nodes.update(servers(r.getResponse()));
                }
                // an index that went backwards (Consul restored or replaced) starts the waiting over
                index = now == null || (index != null && now.compareTo(index) < 0) ? BigInteger.ZERO : now;
            } catch (RpcException e) {
                if (closed) {
                    return;
                }
                LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: keeping the last " + servicePath + " servers: " + e.getMessage());
                index = null;
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    @Override
    public List<ServerNode> servers() {
        return nodes.servers();
    }

    @Override
    public AutoCloseable watch(Consumer<List<ServerNode>> listener) {
        return nodes.watch(listener);
    }

    /** A discovery of another service at the same agent, sharing this one's HTTP client. */
    @Override
    public ServiceDiscovery forService(String otherService) {
        return new ConsulDiscovery(options, otherService, shared.retain());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        watcher.interrupt();
        nodes.close();
        shared.release();
    }
}
