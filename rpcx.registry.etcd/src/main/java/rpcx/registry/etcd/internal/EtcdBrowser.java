package rpcx.registry.etcd.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import rpcx.api.RpcConfigurationException;
import rpcx.api.spi.RegistryBrowser;
import rpcx.registry.etcd.EtcdOptions;

/**
 * The keys under {@code basePath/}: {@code basePath/service/address} nodes; a changed node is written on its own
 * lease, so it still goes away with its server.
 */
final class EtcdBrowser implements RegistryBrowser {
    private final EtcdOptions options;
    private final Client client;

    EtcdBrowser(EtcdOptions options) {
        this.options = options;
        this.client = Etcd.client(options);
    }

    @Override
    public List<Node> nodes() {
        String prefix = options.basePath() + "/";
        List<KeyValue> kvs = Etcd.await(client.getKVClient().get(Etcd.bytes(prefix), GetOption.builder().isPrefix(true).build()),
                options, "listing " + prefix).getKvs();
        List<Node> nodes = new ArrayList<>();
        for (KeyValue kv : kvs) {
            String rest = Etcd.text(kv.getKey()).substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash > 0 && slash < rest.length() - 1) { // basePath/service alone is the service's directory key
                nodes.add(new Node(rest.substring(0, slash), rest.substring(slash + 1), Etcd.text(kv.getValue())));
            }
        }
        nodes.sort(Comparator.comparing(Node::service).thenComparing(Node::address));
        return nodes;
    }

    @Override
    public void setMetadata(String service, String address, String metadata) {
        String key = options.basePath() + "/" + service + "/" + address;
        List<KeyValue> found = Etcd.await(client.getKVClient().get(Etcd.bytes(key)), options, "reading " + key).getKvs();
        if (found.isEmpty()) {
            throw new RpcConfigurationException("no node " + address + " of service " + service + " in etcd "
                    + options.endpoints() + " under " + options.basePath());
        }
        long lease = found.get(0).getLease();
        PutOption put = lease == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(lease).build();
        Etcd.await(client.getKVClient().put(Etcd.bytes(key), Etcd.bytes(metadata), put), options, "writing " + key);
    }

    @Override
    public void close() {
        client.close();
    }
}
