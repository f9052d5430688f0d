package rpcx.registry.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import rpcx.api.Registries;
import rpcx.api.RegistryPlugin;
import rpcx.api.RpcConfigurationException;
import rpcx.api.ServerNode;
import rpcx.api.spi.ServiceDiscovery;
import rpcx.testkit.Eventually;

/** What only ZooKeeper has: Go's node layout and node modes byte for byte, and sessions that expire. */
class ZooKeeperRegistryTest {
    private static ZooKeeperTestServer zk;
    private static ZooKeeper client;

    @BeforeAll
    static void start() throws Exception {
        zk = new ZooKeeperTestServer();
        client = ZooKeeperConformanceTest.connect(zk.hostPort());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (zk != null) {
            zk.close();
        }
    }

    private static String data(String path) throws Exception {
        return new String(client.getData(path, false, null), StandardCharsets.UTF_8);
    }

    private static Stat stat(String path) throws Exception {
        return client.exists(path, false);
    }

    private static void await(Callable<Boolean> condition, String what) throws Exception {
        Eventually.await(Duration.ofSeconds(20), condition, () -> what);
    }

    @Test
    void registrationWritesGosNodesPersistentParentsAndEphemeralServerNodesOpenToAll() throws Exception {
        // Go strips a leading '/' from BasePath and libkv puts it back: "rpcx_layout" and "/rpcx_layout" are one node
        try (RegistryPlugin plugin = Registries.plugin("zookeeper://" + zk.hostPort() + "/rpcx_layout", "tcp@10.0.0.5:8972");
             RegistryPlugin nested = ZooKeeperRegistry.plugin(ZooKeeperOptions.of(zk.hostPort(), "com/example/rpcx"),
                     "tcp@10.0.0.6:8972")) {
            plugin.register("Arith", new Object(), "weight=7&group=test");
            plugin.register("Echo", new Object(), "");
            nested.register("Arith", new Object(), "weight=1");

            assertEquals("rpcx_path", data("/rpcx_layout"));
            assertEquals("Arith", data("/rpcx_layout/Arith"));
            assertEquals("weight=7&group=test", data("/rpcx_layout/Arith/tcp@10.0.0.5:8972"));
            assertEquals("Echo", data("/rpcx_layout/Echo"));
            assertEquals("", data("/rpcx_layout/Echo/tcp@10.0.0.5:8972"));
            assertEquals(List.of("Arith", "Echo"), client.getChildren("/rpcx_layout", false).stream().sorted().toList());
            assertEquals(0, stat("/rpcx_layout").getEphemeralOwner(), "the base node is persistent");
            assertEquals(0, stat("/rpcx_layout/Arith").getEphemeralOwner(), "the service node is persistent");
            assertNotEquals(0, stat("/rpcx_layout/Arith/tcp@10.0.0.5:8972").getEphemeralOwner(), "the server node is ephemeral");
            assertEquals(ZooDefs.Ids.OPEN_ACL_UNSAFE, client.getACL("/rpcx_layout/Arith/tcp@10.0.0.5:8972", new Stat()),
                    "world:anyone with every permission, as go-zookeeper's WorldACL(PermAll)");

            assertEquals("", data("/com"), "missing parents are created empty");
            assertEquals("", data("/com/example"));
            assertEquals("rpcx_path", data("/com/example/rpcx"));
            assertEquals("weight=1", data("/com/example/rpcx/Arith/tcp@10.0.0.6:8972"));

            client.setData("/rpcx_layout/Echo", "changed".getBytes(StandardCharsets.UTF_8), -1);
            plugin.unregister("Echo");
            assertNull(stat("/rpcx_layout/Echo/tcp@10.0.0.5:8972"));
            assertEquals("Echo", data("/rpcx_layout/Echo"), "Go's Unregister writes the directory nodes again");
            assertEquals("Echo", data("/rpcx_layout/Echo"), "the service node stays, as in Go");
        }
        assertNull(stat("/rpcx_layout/Arith/tcp@10.0.0.5:8972"), "closing deletes the server nodes");
        assertEquals("Arith", data("/rpcx_layout/Arith"), "the persistent parents stay");
    }

    @Test
    void withNoUpdateIntervalServerNodesArePersistentAsInGo() throws Exception {
        ZooKeeperOptions options = ZooKeeperOptions.of(zk.hostPort(), "/rpcx_persistent").withUpdateInterval(Duration.ZERO);
        try (RegistryPlugin plugin = ZooKeeperRegistry.plugin(options, "tcp@10.0.0.5:8972")) {
            plugin.register("Arith", new Object(), "weight=2");
            assertEquals(0, stat("/rpcx_persistent/Arith/tcp@10.0.0.5:8972").getEphemeralOwner());
            assertEquals("weight=2", data("/rpcx_persistent/Arith/tcp@10.0.0.5:8972"));
        }
    }

    @Test
    void afterSessionsExpireNodesAreCreatedAgainAndDiscoveryWatchesAgain() throws Exception {
        String registry = zk.address("/rpcx_expiry", "sessionTimeout=PT4S");
        String node = "/rpcx_expiry/Arith/tcp@10.0.0.7:8972";
        try (RegistryPlugin plugin = Registries.plugin(registry, "tcp@10.0.0.7:8972");
             ServiceDiscovery discovery = Registries.discovery(registry, "Arith")) {
            plugin.register("Arith", new Object(), "weight=1");
            await(() -> discovery.servers().equals(List.of(new ServerNode("tcp@10.0.0.7:8972", "weight=1"))),
                    "discovered: " + discovery.servers());
            long owner = stat(node).getEphemeralOwner();

            // every session but the test client's expires: the server deletes their ephemeral nodes
            long mine = client.getSessionId();
            for (long id : zk.sessions()) {
                if (id != mine) {
                    zk.expire(id);
                }
            }
            await(() -> {
                try {
                    Stat s = stat(node);
                    return s != null && s.getEphemeralOwner() != owner && data(node).equals("weight=1");
                } catch (Exception e) {
                    return false;
                }
            }, "the node is created again in a new session");

            plugin.unregister("Arith");
            await(() -> discovery.servers().isEmpty(), "the discovery's new session watches again: " + discovery.servers());
        }
    }

    @Test
    void addressesAreParsed() {
        ZooKeeperOptions o = ZooKeeperOptions.parse(URI.create(
                "zookeeper://10.0.0.1:2181,10.0.0.2:2181/rpcx_test/?sessionTimeout=4&updateInterval=PT30S&metrics=true"));
        assertEquals(List.of("10.0.0.1:2181", "10.0.0.2:2181"), o.servers());
        assertEquals("10.0.0.1:2181,10.0.0.2:2181", o.connectString());
        assertEquals("/rpcx_test", o.basePath());
        assertEquals(Duration.ofSeconds(4), o.sessionTimeout());
        assertEquals(Duration.ofSeconds(30), o.updateInterval());
        assertTrue(o.metrics());
        assertEquals(Duration.ofSeconds(10), ZooKeeperOptions.parse(URI.create("zookeeper://h:1/x")).sessionTimeout(),
                "libkv's default session timeout");
        assertThrows(RpcConfigurationException.class, () -> ZooKeeperOptions.parse(URI.create("zookeeper:///rpcx")));
        assertThrows(RpcConfigurationException.class, () -> ZooKeeperOptions.of("h:1", "/"));
    }

    @Test
    void anUnreachableEnsembleFailsDiscoveryWithATransportError() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String message = assertThrows(rpcx.api.TransportException.class, () -> Registries.discovery(
                "zookeeper://127.0.0.1:" + closedPort + "/rpcx?timeout=PT1S", "Arith")).getMessage();
        assertTrue(message.contains("127.0.0.1:" + closedPort) && message.contains("cannot be reached"), message);
    }
}
