package rpcx.registry.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import rpcx.testkit.RegistryConformance;

/** The registry conformance suite against a real (embedded) ZooKeeper server. */
class ZooKeeperConformanceTest extends RegistryConformance {
    static ZooKeeperTestServer zk;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zk = new ZooKeeperTestServer();
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        if (zk != null) {
            zk.close();
        }
    }

    /** A plain ZooKeeper client, connected, for reading and changing nodes as an operator would. */
    static ZooKeeper connect(String hostPort) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper c = new ZooKeeper(hostPort, 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(10, TimeUnit.SECONDS)) {
            c.close();
            throw new AssertionError("no connection to ZooKeeper at " + hostPort);
        }
        return c;
    }

    /** The children of a node with their data. */
    static Map<String, String> children(String hostPort, String path) throws Exception {
        ZooKeeper c = connect(hostPort);
        try {
            Map<String, String> m = new TreeMap<>();
            for (String child : c.getChildren(path, false)) {
                m.put(child, new String(c.getData(path + "/" + child, false, null), StandardCharsets.UTF_8));
            }
            return m;
        } catch (KeeperException.NoNodeException none) {
            return Map.of();
        } finally {
            c.close();
        }
    }

    @Override
    protected String address(String basePath, String query) {
        // the shortest session the server allows (two ticks), so a killed server's node goes within a second
        return zk.address(basePath, "sessionTimeout=PT1S&timeout=PT2S" + (query.isEmpty() ? "" : "&" + query));
    }

    @Override
    protected Map<String, String> nodes(String basePath, String service) throws Exception {
        return children(zk.hostPort(), basePath + "/" + service);
    }

    @Override
    protected void operatorSets(String basePath, String service, String serviceAddress, String value) throws Exception {
        ZooKeeper c = connect(zk.hostPort());
        try {
            c.setData(basePath + "/" + service + "/" + serviceAddress, value.getBytes(StandardCharsets.UTF_8), -1);
        } finally {
            c.close();
        }
    }

    @Override
    protected void stopRegistry() {
        zk.stop();
    }

    @Override
    protected void startRegistry() throws Exception {
        zk.start(true);
    }
}
