package rpcx.transport.kcp;

import java.util.Set;

import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.api.spi.TransportProvider;

/**
 * Network {@code kcp}: KCP over UDP with kcp-go's FEC and packet encryption, as Go rpcx's {@code kcp} build tag.
 * Its transports need {@link KcpOptions} in their configuration (the packet encryption both ends share).
 */
public final class KcpTransportProvider implements TransportProvider {
    /** The provider, as {@code ServiceLoader} creates it. */
    public KcpTransportProvider() {
    }

    @Override
    public String name() {
        return "kcp";
    }

    @Override
    public Set<String> networks() {
        return Set.of("kcp");
    }

    /** A KCP transport; it opens no socket and starts no thread until it listens or dials. */
    @Override
    public Transport create(TransportConfig config) {
        return new KcpTransport(config);
    }
}
