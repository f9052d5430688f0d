package rpcx.registry.etcd;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import rpcx.testkit.RegistryConformance;
import rpcx.testkit.EtcdServer;

/** The registry conformance suite against a real etcd process. */
class EtcdConformanceTest extends RegistryConformance {
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

    @Override
    protected String address(String basePath, String query) {
        // a 2 s lease, so a killed server's keys go soon; 1 s per request while etcd is stopped
        return etcd.address(basePath) + "?leaseTtl=2&timeout=1" + (query.isEmpty() ? "" : "&" + query);
    }

    @Override
    protected Map<String, String> nodes(String basePath, String service) throws Exception {
        String prefix = basePath + "/" + service + "/";
        Map<String, String> m = new TreeMap<>();
        for (KeyValue kv : jetcd.getKVClient().get(b(prefix), GetOption.builder().isPrefix(true).build())
                .get(5, TimeUnit.SECONDS).getKvs()) {
            m.put(kv.getKey().toString(StandardCharsets.UTF_8).substring(prefix.length()),
                    kv.getValue().toString(StandardCharsets.UTF_8));
        }
        return m;
    }

    @Override
    protected void operatorSets(String basePath, String service, String serviceAddress, String value) throws Exception {
        String key = basePath + "/" + service + "/" + serviceAddress;
        List<KeyValue> now = jetcd.getKVClient().get(b(key)).get(5, TimeUnit.SECONDS).getKvs();
        long lease = now.isEmpty() ? 0 : now.get(0).getLease();
        jetcd.getKVClient().put(b(key), b(value), PutOption.builder().withLeaseId(lease).build()).get(5, TimeUnit.SECONDS);
    }

    @Override
    protected void stopRegistry() throws Exception {
        etcd.stop();
    }

    @Override
    protected void startRegistry() throws Exception {
        etcd.start(true);
    }
}
