package rpcx.registry.zookeeper.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;

import rpcx.api.RpcConfigurationException;
import rpcx.api.spi.RegistryBrowser;
import rpcx.registry.zookeeper.ZooKeeperOptions;

/**
 * The tree under {@code basePath}: its children are the services, theirs the server nodes; a changed node's data is
 * set in place, so an ephemeral node stays its server's.
 */
final class ZooKeeperBrowser implements RegistryBrowser {
    private final ZooKeeperOptions options;
    private final ZkSession session;

    ZooKeeperBrowser(ZooKeeperOptions options) {
        this.options = options;
        this.session = new ZkSession(options, "rpcx-zookeeper-browser");
    }

    @Override
    public List<Node> nodes() {
        String base = options.basePath();
        try {
            ZooKeeper zk = session.connected();
            List<Node> nodes = new ArrayList<>();
            List<String> services;
            try {
                services = new ArrayList<>(zk.getChildren(base, false));
            } catch (KeeperException.NoNodeException e) {
                return List.of();
            }
            services.sort(null);
            for (String service : services) {
                List<String> addresses;
                try {
                    addresses = new ArrayList<>(zk.getChildren(base + "/" + service, false));
                } catch (KeeperException.NoNodeException e) {
                    continue; // removed meanwhile
                }
                addresses.sort(null);
                for (String address : addresses) {
                    try {
                        nodes.add(new Node(service, address, ZkSession.text(zk.getData(base + "/" + service + "/" + address,
                                false, null))));
                    } catch (KeeperException.NoNodeException e) {
                        // its server left meanwhile
                    }
                }
            }
            return nodes;
        } catch (KeeperException | InterruptedException e) {
            throw ZkSession.failure("listing " + base, e);
        }
    }

    @Override
    public void setMetadata(String service, String address, String metadata) {
        String path = options.basePath() + "/" + service + "/" + address;
        try {
            session.connected().setData(path, ZkSession.bytes(metadata), -1);
        } catch (KeeperException.NoNodeException e) {
            throw new RpcConfigurationException("no node " + address + " of service " + service + " in ZooKeeper "
                    + options.connectString() + " under " + options.basePath());
        } catch (KeeperException | InterruptedException e) {
            throw ZkSession.failure("writing " + path, e);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
