package rpcx.registry.etcd.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import rpcx.api.MultipleServersDiscovery;
import rpcx.api.RpcException;
import rpcx.api.ServerNode;
import rpcx.api.spi.ServiceDiscovery;
import rpcx.api.spi.SharedResource;
import rpcx.registry.etcd.EtcdOptions;

/**
 * Go's {@code EtcdV3Discovery}: the keys under {@code basePath/service/} listed once, then watched; every change
 * lists them again and hands the whole list to the watchers. While etcd cannot be reached the last list stays,
 * and the watch is re-established (and the list refreshed) as soon as etcd answers again.
 */
public final class EtcdDiscovery implements ServiceDiscovery {
    private static final System.Logger LOG = System.getLogger("rpcx.registry.etcd");
    private static final long REWATCH_MILLIS = 1000;

    private final EtcdOptions options;
    private final String servicePath;
    private final String prefix;
    /** The etcd client and the thread that discoveries cloned from one another share; closed with the last. */
    private final SharedResource<Shared> shared;
    private final Client client;
    /** The current list and its watchers. */
    private final MultipleServersDiscovery nodes = new MultipleServersDiscovery(List.of());
    private final ScheduledExecutorService timer;
    private volatile Watch.Watcher watcher;
    private volatile boolean closed;

    /**
     * Lists the service's servers and starts watching them.
     *
     * @throws rpcx.api.TransportException when etcd cannot be reached for the first list
     */
    public EtcdDiscovery(EtcdOptions options, String servicePath) {
        this(options, servicePath, Shared.of(Etcd.client(options)));
    }

    private EtcdDiscovery(EtcdOptions options, String servicePath, SharedResource<Shared> shared) {
        this.options = options;
        this.servicePath = servicePath;
        this.prefix = options.basePath() + "/" + servicePath + "/";
        this.shared = shared;
        this.client = shared.get().client;
        this.timer = shared.get().timer;
        try {
            nodes.update(list());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        watch();
    }

    private List<ServerNode> list() {
        List<KeyValue> kvs = Etcd.await(client.getKVClient().get(Etcd.bytes(prefix), GetOption.builder().isPrefix(true).build()),
                options, "listing " + prefix).getKvs();
        List<ServerNode> nodes = new ArrayList<>(kvs.size());
        for (KeyValue kv : kvs) {
            String address = Etcd.text(kv.getKey()).substring(prefix.length());
            if (!address.isEmpty() && address.indexOf('/') < 0) {
                nodes.add(new ServerNode(address, Etcd.text(kv.getValue())));
            }
        }
        return List.copyOf(nodes);
    }

    private void watch() {
        if (closed) {
            return;
        }
        watcher = client.getWatchClient().watch(Etcd.bytes(prefix), WatchOption.builder().isPrefix(true).build(),
                response -> later(this::refresh, 0), error -> {
                    LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: etcd watch of " + prefix + " failed: " + error);
                    rewatchLater();
                });
    }

    /** Runs on the discovery's thread, unless it is closed. */
    private void later(Runnable task, long millis) {
        try {
            if (!closed) {
                timer.schedule(task, millis, TimeUnit.MILLISECONDS);
            }
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed meanwhile: nothing more to do
        }
    }

    private void rewatchLater() {
        later(() -> {
            Watch.Watcher w = watcher;
            if (w != null) {
                w.close();
            }
            if (refresh()) {
                watch();
            } else {
                rewatchLater();
            }
        }, REWATCH_MILLIS);
    }

    /** Lists again and tells the watchers; false (and the last list kept) when etcd cannot be reached. */
    private boolean refresh() {
        if (closed) {
            return false;
        }
        List<ServerNode> now;
        try {
            now = list();
        } catch (RpcException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: keeping the last " + servicePath + " servers: " + e.getMessage());
            return false;
        }
        nodes.update(now);
        return true;
    }

    @Override
    public List<ServerNode> servers() {
        return nodes.servers();
    }

    @Override
    public AutoCloseable watch(Consumer<List<ServerNode>> listener) {
        return nodes.watch(listener);
    }

    /** A discovery of another service at the same registry, sharing this one's etcd client and thread. */
    @Override
    public ServiceDiscovery forService(String otherService) {
        return new EtcdDiscovery(options, otherService, shared.retain());
    }

    /** An etcd client and the discoveries' thread. */
    private record Shared(Client client, ScheduledExecutorService timer) {
        static SharedResource<Shared> of(Client client) {
            Shared s = new Shared(client, Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rpcx-etcd-discovery");
                t.setDaemon(true);
                return t;
            }));
            return SharedResource.of(s, () -> {
                s.timer.shutdownNow();
                s.client.close();
            });
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        nodes.close();
        Watch.Watcher w = watcher;
        if (w != null) {
            w.close();
        }
        shared.release();
    }

}
