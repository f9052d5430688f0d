package rpcx.registry.consul.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.kiwiproject.consul.model.kv.Value;

import rpcx.api.RpcConfigurationException;
import rpcx.api.spi.RegistryBrowser;
import rpcx.registry.consul.ConsulOptions;

/**
 * The keys under {@code basePath/}: {@code basePath/service/address} nodes; a changed node keeps its flags and the
 * session holding it, so it still goes away with its server.
 */
final class ConsulBrowser implements RegistryBrowser {
    private final ConsulOptions options;
    private final ConsulKv kv;

    ConsulBrowser(ConsulOptions options) {
        this.options = options;
        this.kv = new ConsulKv(options);
    }

    @Override
    public List<Node> nodes() {
        String prefix = options.basePath() + "/";
        List<Node> nodes = new ArrayList<>();
        List<Value> values = kv.list(prefix, null).getResponse();
        for (Value v : values == null ? List.<Value>of() : values) {
            String rest = v.getKey().substring(Math.min(v.getKey().length(), prefix.length()));
            int slash = rest.indexOf('/');
            if (v.getKey().startsWith(prefix) && slash > 0 && slash < rest.length() - 1) {
                nodes.add(new Node(rest.substring(0, slash), rest.substring(slash + 1), ConsulKv.text(v)));
            }
        }
        nodes.sort(Comparator.comparing(Node::service).thenComparing(Node::address));
        return nodes;
    }

    @Override
    public void setMetadata(String service, String address, String metadata) {
        if (!kv.overwrite(options.basePath() + "/" + service + "/" + address, metadata)) {
            throw new RpcConfigurationException("no node " + address + " of service " + service + " in Consul "
                    + options.agent() + " under " + options.basePath());
        }
    }

    @Override
    public void close() {
        kv.close();
    }
}
