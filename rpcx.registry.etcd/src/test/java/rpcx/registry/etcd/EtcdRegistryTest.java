package rpcx.registry.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import rpcx.api.Registries;
import rpcx.api.RegistryPlugin;
import rpcx.api.ServerNode;
import rpcx.api.spi.ServiceDiscovery;
import rpcx.testkit.Eventually;
import rpcx.testkit.EtcdServer;

/** The etcd registry against a real etcd process: Go's layout byte for byte, discovery that follows changes. */
class EtcdRegistryTest {
    /** Go's {@code Arith} of the rpcx examples. */
    public static final class Arith {
        public record Args(int a, int b) {
        }

        public record Reply(int c) {
        }

        public Reply mul(Args args) {
            return new Reply(args.a() * args.b());
        }
    }

    private static EtcdServer etcd;
    private static Client jetcd;

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = new EtcdServer();
        jetcd = Client.builder().endpoints(etcd.endpoint()).build();
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        if (jetcd != null) {
            jetcd.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    private static ByteSequence b(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** Every key under the prefix with its value and lease, as etcdctl get --prefix shows them. */
    private static List<KeyValue> keys(String prefix) throws Exception {
        return jetcd.getKVClient().get(b(prefix), GetOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS).getKvs();
    }

    private static Map<String, String> keyValues(String prefix) throws Exception {
        Map<String, String> m = new TreeMap<>();
        for (KeyValue kv : keys(prefix)) {
            m.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8));
        }
        return m;
    }

    private static void await(Callable<Boolean> condition, String what) throws Exception {
        Eventually.await(Duration.ofSeconds(20), condition, () -> what);
    }

    @Test
    void registrationWritesGosKeysAndValuesOnOneLeaseAndUnregisterDeletesTheNode() throws Exception {
        String base = "/rpcx_layout";
        try (RegistryPlugin plugin = Registries.plugin(etcd.address(base), "tcp@10.0.0.5:8972")) {
            plugin.register("Arith", new Arith(), "weight=7&group=test");
            plugin.register("Echo", new Object(), "");
            assertEquals(Map.of(
                    "/rpcx_layout", "rpcx_path",
                    "/rpcx_layout/Arith", "Arith",
                    "/rpcx_layout/Arith/tcp@10.0.0.5:8972", "weight=7&group=test",
                    "/rpcx_layout/Echo", "Echo",
                    "/rpcx_layout/Echo/tcp@10.0.0.5:8972", ""), keyValues(base));
            List<Long> leases = keys(base).stream().map(KeyValue::getLease).distinct().toList();
            assertEquals(1, leases.size(), "one lease for every key: " + leases);
            assertTrue(leases.get(0) != 0, "the keys are on a lease");
            long ttl = jetcd.getLeaseClient().timeToLive(leases.get(0), io.etcd.jetcd.options.LeaseOption.DEFAULT)
                    .get(5, TimeUnit.SECONDS).getGrantedTTL();
            assertEquals(30, ttl, "Go's default TTL");

            jetcd.getKVClient().delete(b("/rpcx_layout/Echo")).get(5, TimeUnit.SECONDS);
            plugin.unregister("Echo"); // Go's Unregister puts the directory keys again
            assertEquals(Map.of("/rpcx_layout", "rpcx_path", "/rpcx_layout/Arith", "Arith",
                    "/rpcx_layout/Arith/tcp@10.0.0.5:8972", "weight=7&group=test", "/rpcx_layout/Echo", "Echo"),
                    keyValues(base));
        }
        assertEquals(Map.of("/rpcx_layout", "rpcx_path", "/rpcx_layout/Arith", "Arith", "/rpcx_layout/Echo", "Echo"),
                keyValues(base), "closing deletes the nodes; the directory keys expire with the lease, as in Go");
    }

    @Test
    void registrationAndDiscoveryComeBackAfterEtcdIsWipedAndRestartedAndRegisteringMeanwhileWorks() throws Exception {
        String base = "/rpcx_restart";
        EtcdOptions options = EtcdOptions.of(etcd.endpoint(), base).withLeaseTtl(Duration.ofSeconds(3))
                .withTimeout(Duration.ofSeconds(1)); // each request to the stopped etcd gives up after 1 s
        try (RegistryPlugin plugin = EtcdRegistry.plugin(options, "tcp@10.0.0.7:8972");
             ServiceDiscovery discovery = EtcdRegistry.discovery(options, "Arith")) {
            plugin.register("Arith", new Arith(), "weight=1");
            ServerNode node = new ServerNode("tcp@10.0.0.7:8972", "weight=1");
            await(() -> discovery.servers().equals(List.of(node)), "discovered: " + discovery.servers());

            etcd.stop();
            Thread.sleep(1500); // keep-alives and the watch fail meanwhile
            assertEquals(List.of(node), discovery.servers(), "while etcd is down the last list keeps serving");
            plugin.register("Echo", new Object(), "weight=2"); // does not fail: made when etcd is back

            etcd.start(true); // an empty etcd: the lease and every key are gone
            await(() -> {
                try {
                    return keyValues(base).equals(Map.of("/rpcx_restart", "rpcx_path", "/rpcx_restart/Arith", "Arith",
                            "/rpcx_restart/Arith/tcp@10.0.0.7:8972", "weight=1", "/rpcx_restart/Echo", "Echo",
                            "/rpcx_restart/Echo/tcp@10.0.0.7:8972", "weight=2"));
                } catch (Exception e) {
                    return false;
                }
            }, "the registration puts its keys again on a new lease");
            plugin.unregister("Arith");
            await(() -> discovery.servers().isEmpty(), "the discovery watches the restarted etcd: " + discovery.servers());
        }
    }

    @Test
    void addressesAreParsedAndAnUnknownSchemeSaysWhichModuleIsMissing() {
        EtcdOptions o = EtcdOptions.parse(java.net.URI.create("etcd://10.0.0.1:2379,10.0.0.2:2379/rpcx_test?leaseTtl=10&updateInterval=PT30S"));
        assertEquals(List.of("http://10.0.0.1:2379", "http://10.0.0.2:2379"), o.endpoints());
        assertEquals("/rpcx_test", o.basePath());
        assertEquals(Duration.ofSeconds(10), o.leaseTtl());
        assertEquals(Duration.ofSeconds(30), o.updateInterval());
        String message = assertThrows(rpcx.api.RpcConfigurationException.class,
                () -> Registries.discovery("nacos://127.0.0.1:8848/rpcx_test", "Arith")).getMessage();
        assertTrue(message.contains("nacos"), message);
    }

    @Test
    void aLostLeaseIsReplacedAndANodeChangedMeanwhileKeepsItsValue() throws Exception {
        String base = "/rpcx_lease";
        EtcdOptions options = EtcdOptions.of(etcd.endpoint(), base).withLeaseTtl(Duration.ofSeconds(3))
                .withTimeout(Duration.ofSeconds(1));
        try (RegistryPlugin plugin = EtcdRegistry.plugin(options, "tcp@10.0.0.6:8972")) {
            plugin.register("Arith", new Arith(), "weight=1");
            String node = base + "/Arith/tcp@10.0.0.6:8972";
            long lease = keys(base).get(0).getLease();
            // rpcx-ui-style change written without a lease, then the plugin's lease is lost (revoked)
            jetcd.getKVClient().put(b(node), b("weight=1&state=inactive")).get(5, TimeUnit.SECONDS);
            jetcd.getLeaseClient().revoke(lease).get(5, TimeUnit.SECONDS);
            await(() -> {
                try {
                    List<KeyValue> kvs = keys(base);
                    return kvs.size() == 3 && kvs.stream().allMatch(kv -> kv.getLease() != 0 && kv.getLease() != lease)
                            && keyValues(base).get(node).equals("weight=1&state=inactive");
                } catch (Exception e) {
                    return false;
                }
            }, "every key back on a new lease, the node's value kept");
        }
    }
}
