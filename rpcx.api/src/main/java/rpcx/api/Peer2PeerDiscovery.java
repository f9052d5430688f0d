package rpcx.api;

import java.util.List;
import java.util.function.Consumer;

import rpcx.api.spi.ServiceDiscovery;

/** One fixed server, no registry (Go's {@code NewPeer2PeerDiscovery("tcp@host:port", meta)}). */
public final class Peer2PeerDiscovery implements ServiceDiscovery {
    private final List<ServerNode> servers;

    /** A discovery of one server; {@code metadata} is a URL query string (may be empty). */
    public Peer2PeerDiscovery(String address, String metadata) {
        this.servers = List.of(new ServerNode(address, metadata));
    }

    @Override
    public List<ServerNode> servers() {
        return servers;
    }

    @Override
    public AutoCloseable watch(Consumer<List<ServerNode>> listener) {
        return () -> {
        };
    }

    @Override
    public ServiceDiscovery forService(String servicePath) {
        return this;
    }

    @Override
    public void close() {
    }
}
