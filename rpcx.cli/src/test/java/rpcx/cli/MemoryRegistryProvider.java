package rpcx.cli;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import rpcx.api.MultipleServersDiscovery;
import rpcx.api.RpcConfigurationException;
import rpcx.api.ServerNode;
import rpcx.api.spi.DiscoveryProvider;
import rpcx.api.spi.RegistryBrowser;
import rpcx.api.spi.ServiceDiscovery;

/**
 * A test registry kept in memory, {@code mem://test}: nodes put by the test, browsed and changed by the tool (the
 * real registries pass the same browser checks in the testkit's RegistryConformance).
 */
public final class MemoryRegistryProvider implements DiscoveryProvider {
    /** service, then address, to metadata. */
    static final Map<String, Map<String, String>> NODES = new ConcurrentSkipListMap<>();

    @Override
    public String name() {
        return "mem";
    }

    @Override
    public ServiceDiscovery create(URI registry, String servicePath) {
        List<ServerNode> nodes = new ArrayList<>();
        NODES.getOrDefault(servicePath, Map.of()).forEach((a, m) -> nodes.add(new ServerNode(a, m)));
        return new MultipleServersDiscovery(nodes);
    }

    @Override
    public RegistryBrowser browser(URI registry) {
        return new RegistryBrowser() {
            @Override
            public List<Node> nodes() {
                List<Node> all = new ArrayList<>();
                NODES.forEach((s, byAddress) -> byAddress.forEach((a, m) -> all.add(new Node(s, a, m))));
                return all;
            }

            @Override
            public void setMetadata(String service, String address, String metadata) {
                Map<String, String> byAddress = NODES.get(service);
                if (byAddress == null || byAddress.replace(address, metadata) == null) {
                    throw new RpcConfigurationException("no node " + address + " of " + service);
                }
            }

            @Override
            public void close() {
            }
        };
    }
}
