package rpcx.cli;

import java.net.URI;

import rpcx.api.Peer2PeerDiscovery;
import rpcx.api.spi.DiscoveryProvider;
import rpcx.api.spi.ServiceDiscovery;

/** A test registry, {@code static://host:port}: the one tcp server named in the address, for every service. */
public final class StaticDiscoveryProvider implements DiscoveryProvider {
    @Override
    public String name() {
        return "static";
    }

    @Override
    public ServiceDiscovery create(URI registry, String servicePath) {
        return new Peer2PeerDiscovery("tcp@" + registry.getAuthority(), "");
    }
}
