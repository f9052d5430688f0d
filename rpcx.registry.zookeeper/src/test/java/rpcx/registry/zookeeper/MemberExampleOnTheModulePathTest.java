package rpcx.registry.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import rpcx.testkit.JavaProcess;

/**
 * The tutorial's member server and client with the registry named by configuration
 * ({@code -registry zookeeper://...}), in JVMs of their own on the <b>module path</b>: rpcx.registry.zookeeper and
 * the merged org.apache.zookeeper module are explicit modules, found through the service binding of
 * {@code rpcx.api}'s {@code uses DiscoveryProvider} with no {@code --add-modules}.
 */
class MemberExampleOnTheModulePathTest {
    private static JavaProcess example(String main, String... args) throws Exception {
        return JavaProcess.modulePath("rpcx.examples.member", "rpcx.examples.member.cmd." + main, args);
    }

    @Test
    void memberServerAndClientFindEachOtherThroughZooKeeperOnTheModulePath() throws Exception {
        try (ZooKeeperTestServer zk = new ZooKeeperTestServer()) {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            String registry = "zookeeper://" + zk.hostPort() + "/rpcx_test";
            try (JavaProcess server = example("MemberEtcdServer", "-addr", "127.0.0.1:" + port, "-registry", registry)) {
                server.awaitLine("listening on tcp@127.0.0.1:" + port);
                String node = "tcp@127.0.0.1:" + port;
                assertEquals(Map.of(node, ""), ZooKeeperConformanceTest.children(zk.hostPort(), "/rpcx_test/ServiceUser"),
                        "the node as a Go rpcx client reads it; server output: " + server.output());

                try (JavaProcess client = example("MemberEtcdClient", "-registry", registry)) {
                    client.awaitLine("=== " + node);
                    String reply = client.awaitLine("999 : ");
                    assertTrue(reply.endsWith("999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}"), reply);
                    assertEquals(0, client.exitValue(60), "client output: " + client.output());
                }

                server.process().destroy(); // SIGTERM: graceful shutdown unregisters
                assertEquals(0, server.exitValue(30));
                assertEquals(Map.of(), ZooKeeperConformanceTest.children(zk.hostPort(), "/rpcx_test/ServiceUser"));
            }
        }
    }
}
