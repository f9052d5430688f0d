package rpcx.registry.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import rpcx.testkit.JavaProcess;
import rpcx.testkit.EtcdServer;

/**
 * The tutorial's Etcd chapter as the README runs it: {@code MemberEtcdServer} and {@code MemberEtcdClient} in JVMs
 * of their own against a real etcd; the client prints what the tutorial prints, etcd holds Go's keys, and SIGTERM
 * takes the nodes out.
 */
class TutorialEtcdExampleTest {
    private static final String MAIN = "rpcx.examples.member.cmd.";

    private static Map<String, String> keys(Client c, String prefix) throws Exception {
        Map<String, String> m = new TreeMap<>();
        for (KeyValue kv : c.getKVClient().get(ByteSequence.from(prefix, StandardCharsets.UTF_8),
                GetOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS).getKvs()) {
            m.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8));
        }
        return m;
    }

    @Test
    void memberEtcdServerAndClientDoWhatTheTutorialShows() throws Exception {
        try (EtcdServer etcd = new EtcdServer(); Client c = Client.builder().endpoints(etcd.endpoint()).build()) {
            int port = EtcdServer.freePort();
            String etcdAddr = "127.0.0.1:" + etcd.clientPort;
            try (JavaProcess server = JavaProcess.classPath(MAIN + "MemberEtcdServer", "-addr", "127.0.0.1:" + port,
                    "-etcdAddr", etcdAddr)) {
                server.awaitLine("listening on tcp@127.0.0.1:" + port);
                String node = "tcp@127.0.0.1:" + port;
                assertEquals(Map.of("/rpcx_test", "rpcx_path",
                        "/rpcx_test/ServiceUser", "ServiceUser", "/rpcx_test/ServiceUser/" + node, "",
                        "/rpcx_test/ServiceUserFn", "ServiceUserFn", "/rpcx_test/ServiceUserFn/" + node, ""),
                        keys(c, "/rpcx_test"), "what etcdctl get --prefix /rpcx_test shows");

                try (JavaProcess client = JavaProcess.classPath(MAIN + "MemberEtcdClient", "-etcdAddr", etcdAddr)) {
                    client.awaitLine("=== " + node);
                    String reply = client.awaitLine("999 : ");
                    assertTrue(reply.endsWith("999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}"), reply);
                    assertEquals(0, client.exitValue(60), "client output: " + client.output());
                }

                server.process().destroy(); // SIGTERM: graceful shutdown unregisters
                assertEquals(0, server.exitValue(30));
                assertEquals(Map.of("/rpcx_test", "rpcx_path", "/rpcx_test/ServiceUser", "ServiceUser",
                        "/rpcx_test/ServiceUserFn", "ServiceUserFn"), keys(c, "/rpcx_test"),
                        "the nodes are gone; the directory keys expire with the lease, as in Go");
            }
        }
    }
}
