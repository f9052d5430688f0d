package rpcx.registry.zookeeper.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

import rpcx.api.MultipleServersDiscovery;
import rpcx.api.RpcException;
import rpcx.api.ServerNode;
import rpcx.api.spi.ServiceDiscovery;
import rpcx.api.spi.SharedResource;
import rpcx.registry.zookeeper.ZooKeeperOptions;

/**
 * Go's {@code ZookeeperDiscovery}: the children of {@code /base/Service} with their data, listed once and then
 * watched. Go watches only the children; this also watches each child's data, so a metadata change (rpcx-ui's
 * {@code state=inactive}, a new weight) reaches running clients. A service node that does not exist yet is
 * watched for creation. While ZooKeeper cannot be reached the last list stays; on reconnection, and on a new session
 * after expiry, the list is read again and the watches set anew.
 */
public final class ZooKeeperDiscovery implements ServiceDiscovery {
    private static final System.Logger LOG = System.getLogger("rpcx.registry.zookeeper");

    private final ZooKeeperOptions options;
    private final String servicePath;
    private final String path;
    /** The session that discoveries cloned from one another share; closed with the last. */
    private final SharedResource<ZkSession> shared;
    private final ZkSession session;
    private final MultipleServersDiscovery nodes = new MultipleServersDiscovery(List.of());
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final Watcher watcher = this::changed;
    private final ZkSession.Listener onConnected = fresh -> refresh();
    private volatile boolean closed;

    /**
     * Lists the service's servers and starts watching them.
     *
     * @throws rpcx.api.TransportException when ZooKeeper cannot be reached for the first list
     */
    public ZooKeeperDiscovery(ZooKeeperOptions options, String servicePath) {
        this(options, servicePath, share(new ZkSession(options, "rpcx-zookeeper-discovery")));
    }

    private static SharedResource<ZkSession> share(ZkSession session) {
        return SharedResource.of(session, session::close);
    }

    private ZooKeeperDiscovery(ZooKeeperOptions options, String servicePath, SharedResource<ZkSession> shared) {
        this.options = options;
        this.servicePath = servicePath;
        this.path = options.basePath() + "/" + servicePath;
        this.shared = shared;
        this.session = shared.get();
        try {
            nodes.update(list(session.connected()));
        } catch (RuntimeException e) {
            shared.release();
            throw e;
        } catch (KeeperException | InterruptedException e) {
            shared.release();
            throw ZkSession.failure("listing " + path, e);
        }
        session.addListener(onConnected);
    }

    /** The children and their data, each read with the watch set; sorted by address. */
    private List<ServerNode> list(ZooKeeper zk) throws KeeperException, InterruptedException {
        List<String> children;
        try {
            children = new ArrayList<>(zk.getChildren(path, watcher));
        } catch (KeeperException.NoNodeException none) {
            if (zk.exists(path, watcher) != null) {
                return list(zk); // created just now
            }
            return List.of();
        }
        children.sort(null);
        List<ServerNode> found = new ArrayList<>(children.size());
        for (String child : children) {
            try {
                found.add(new ServerNode(child, ZkSession.text(zk.getData(path + "/" + child, watcher, null))));
            } catch (KeeperException.NoNodeException gone) {
                // deleted since the listing; the children watch fires for it
            }
        }
        return List.copyOf(found);
    }

    /** A watch fired (on ZooKeeper's event thread): list again on ours, once for a burst of events. */
    private void changed(WatchedEvent e) {
        if (e.getType() != Watcher.Event.EventType.None && refreshQueued.compareAndSet(false, true)) {
            session.run(() -> {
                refreshQueued.set(false);
                refresh();
            });
        }
    }

    /** Lists again and tells the watchers; the last list is kept when ZooKeeper cannot be reached. */
    private void refresh() {
        if (closed || !session.isConnected()) {
            return;
        }
        try {
            nodes.update(list(session.connected()));
        } catch (RpcException | KeeperException | InterruptedException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: keeping the last " + servicePath + " servers: " + e.getMessage());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
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

    /** A discovery of another service at the same ensemble, sharing this one's session and thread. */
    @Override
    public ServiceDiscovery forService(String otherService) {
        return new ZooKeeperDiscovery(options, otherService, shared.retain());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        session.removeListener(onConnected);
        nodes.close();
        shared.release();
    }
}
