package rpcx.registry.zookeeper.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

import rpcx.api.RpcException;
import rpcx.api.spi.AbstractRegistryPlugin;
import rpcx.api.spi.RegistryMetrics;
import rpcx.registry.zookeeper.ZooKeeperOptions;

/**
 * Go's {@code ZooKeeperRegisterPlugin}: {@code /base} ({@code rpcx_path}) and {@code /base/Service} (its name) as
 * persistent nodes, {@code /base/Service/network@host:port} (the metadata) ephemeral — persistent when the update
 * interval is zero, as in Go — deleted and created afresh on each registration, re-written every update interval,
 * deleted on unregister and on close. When the session expires its ephemeral nodes are gone: they are created again
 * as soon as a new session is connected (Go waits for its next update tick).
 */
public final class ZooKeeperRegistration extends AbstractRegistryPlugin {
    private static final System.Logger LOG = System.getLogger("rpcx.registry.zookeeper");

    private final ZooKeeperOptions options;
    private final ZkSession session;
    /** Published services: name -> registered metadata. */
    private final Map<String, String> services = new ConcurrentHashMap<>();
    private final CreateMode nodeMode;
    private boolean closed; // guarded by this

    /** Connects in the background; registrations wait for the connection up to the options' timeout. */
    public ZooKeeperRegistration(ZooKeeperOptions options, String serviceAddress) {
        super(serviceAddress);
        this.options = options;
        this.nodeMode = options.updateInterval().isZero() ? CreateMode.PERSISTENT : CreateMode.EPHEMERAL;
        this.session = new ZkSession(options, "rpcx-zookeeper-registration");
        session.addListener(fresh -> restore());
        long update = options.updateInterval().toMillis();
        if (update > 0) {
            session.every(this::republish, update);
        }
    }

    private String nodePath(String service) {
        return nodePath(options.basePath(), service);
    }

    /**
     * Writes the service's nodes as Go's {@code Register} does; when ZooKeeper cannot be reached the registration is
     * kept and made as soon as it is connected.
     */
    @Override
    protected synchronized void publish(String service, String metadata) {
        if (closed) {
            throw new IllegalStateException("the ZooKeeper registration of " + serviceAddress() + " is closed");
        }
        services.put(service, metadata);
        try {
            ZooKeeper zk = session.connected();
            ZkSession.putDirectory(zk, options.basePath(), "rpcx_path");
            ZkSession.putDirectory(zk, options.basePath() + "/" + service, service);
            String node = nodePath(service);
            try {
                zk.delete(node, -1); // a node left by an earlier session would make the create fail
            } catch (KeeperException.NoNodeException absent) {
                // the usual case
            }
            create(zk, node, metadata);
        } catch (RpcException | KeeperException | InterruptedException e) {
            LOG.log(System.Logger.Level.WARNING, "rpcx: registering " + service + " at " + serviceAddress() + " in ZooKeeper failed ("
                    + e.getMessage() + "); it will be registered as soon as ZooKeeper answers");
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void create(ZooKeeper zk, String node, String value) throws KeeperException, InterruptedException {
        try {
            zk.create(node, ZkSession.bytes(value), ZooDefs.Ids.OPEN_ACL_UNSAFE, nodeMode);
        } catch (KeeperException.NoNodeException parentGone) {
            ZkSession.createParents(zk, node);
            zk.create(node, ZkSession.bytes(value), ZooDefs.Ids.OPEN_ACL_UNSAFE, nodeMode);
        }
    }

    /**
     * After each (re)connection: every node that is missing (its session expired, or the ensemble was wiped) is
     * created again with its registered metadata; one still owned by a dead session is replaced, keeping its value.
     */
    private synchronized void restore() {
        if (closed || services.isEmpty()) {
            return;
        }
        try {
            ZooKeeper zk = session.connected();
            for (Map.Entry<String, String> e : services.entrySet()) {
                String node = nodePath(e.getKey());
                Stat stat = zk.exists(node, false);
                if (stat != null && (nodeMode == CreateMode.PERSISTENT || stat.getEphemeralOwner() == zk.getSessionId())) {
                    continue;
                }
                String value = e.getValue();
                if (stat != null) {
                    value = ZkSession.text(zk.getData(node, false, null));
                    zk.delete(node, -1);
                } else {
                    ZkSession.putDirectory(zk, options.basePath(), "rpcx_path");
                    ZkSession.putDirectory(zk, options.basePath() + "/" + e.getKey(), e.getKey());
                }
                create(zk, node, value);
                LOG.log(System.Logger.Level.INFO, "rpcx: " + node + " registered again in ZooKeeper");
            }
        } catch (RpcException | KeeperException | InterruptedException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: ZooKeeper re-registration of " + serviceAddress()
                    + " failed: " + e.getMessage() + "; retrying on the next update or connection");
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Every update interval, as Go does: each node's current value read back (so what others changed stays), the
     * metrics set in it when asked for, and written again with keys sorted (only if unchanged since the read); a
     * missing node is created again with its registered metadata.
     */
    private synchronized void republish() {
        if (closed || !session.isConnected()) {
            return;
        }
        Map<String, String> extra = options.metrics() ? metrics.rates() : Map.of();
        try {
            ZooKeeper zk = session.connected();
            for (Map.Entry<String, String> e : services.entrySet()) {
                String node = nodePath(e.getKey());
                // Go sets the data blindly after its read; a change made in between (rpcx-ui's state=inactive)
                // would be lost, so the write is conditional on the version read, and read again when it moved
                for (int attempt = 0; attempt < 3; attempt++) {
                    try {
                        Stat stat = new Stat();
                        String now = ZkSession.text(zk.getData(node, false, stat));
                        zk.setData(node, ZkSession.bytes(RegistryMetrics.merge(now, extra)), stat.getVersion());
                        break;
                    } catch (KeeperException.NoNodeException gone) {
                        create(zk, node, e.getValue());
                        break;
                    } catch (KeeperException.BadVersionException changed) {
                        // read again
                    }
                }
            }
        } catch (RpcException | KeeperException | InterruptedException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: ZooKeeper update of " + serviceAddress() + " failed: " + e.getMessage());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized void unregister(String name) {
        if (services.remove(name) != null && !closed) {
            try { // as Go's Unregister: the directory nodes written again, then the node deleted
                ZooKeeper zk = session.connected();
                ZkSession.putDirectory(zk, options.basePath(), "rpcx_path");
                ZkSession.putDirectory(zk, options.basePath() + "/" + name, name);
            } catch (RpcException | KeeperException | InterruptedException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: ZooKeeper: " + e.getMessage());
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
            delete(name);
        }
    }

    private void delete(String service) {
        try {
            session.connected().delete(nodePath(service), -1);
        } catch (KeeperException.NoNodeException gone) {
            // already gone
        } catch (RpcException | KeeperException | InterruptedException e) {
            LOG.log(System.Logger.Level.WARNING, "rpcx: unregistering " + service + " from ZooKeeper failed: " + e.getMessage()
                    + (nodeMode == CreateMode.EPHEMERAL ? " (the node goes with the session)" : ""));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Deletes the nodes still published (as Go's {@code Stop}) and ends the session. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (session.isConnected()) {
                services.keySet().forEach(this::delete);
            }
            closed = true;
            services.clear();
        }
        session.close();
    }
}
