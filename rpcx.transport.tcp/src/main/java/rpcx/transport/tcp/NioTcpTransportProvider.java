package rpcx.transport.tcp;

import java.util.Set;

import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.api.spi.TransportProvider;

/**
 * The {@code tcp}, {@code tcp4}, {@code tcp6} and {@code unix} transports on JDK NIO (through Netty). Always
 * available; priority {@value #PRIORITY}, below {@link EpollTcpTransportProvider}, so it serves when native epoll
 * cannot (not Linux, the native module not on the module path, or epoll disabled).
 */
public final class NioTcpTransportProvider implements TransportProvider {
    /** The priority of this provider. */
    public static final int PRIORITY = 10;

    /** Creates the provider (ServiceLoader does this); it starts nothing. */
    public NioTcpTransportProvider() {
    }

    /** {@code "tcp"}. */
    @Override
    public String name() {
        return "tcp";
    }

    /** {@code tcp}, {@code tcp4}, {@code tcp6}, {@code unix}, {@code reuseport}, {@code http}, {@code ws} and {@code wss}. */
    @Override
    public Set<String> networks() {
        return Endpoint.NETWORKS;
    }

    /** {@value #PRIORITY}. */
    @Override
    public int priority() {
        return PRIORITY;
    }

    /** Creates a NIO transport; it opens no socket and starts no thread until it listens or connects. */
    @Override
    public Transport create(TransportConfig config) {
        return new NettyTransport(NioKind.INSTANCE, config);
    }
}
