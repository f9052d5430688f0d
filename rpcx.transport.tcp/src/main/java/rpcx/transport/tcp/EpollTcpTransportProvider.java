package rpcx.transport.tcp;

import java.util.Set;

import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.api.spi.TransportProvider;

/**
 * The {@code tcp}, {@code tcp4}, {@code tcp6} and {@code unix} transports on Netty's native epoll (Linux).
 * Priority {@value #PRIORITY}, above {@link NioTcpTransportProvider}: chosen whenever it is available, that is
 * when Netty's epoll library loads. On the module path that needs
 * {@code --add-modules io.netty.transport.epoll.linux.x86_64}, because nothing requires the module holding the
 * native library. Setting the system property {@value #EPOLL_PROPERTY} to {@code false} makes this provider
 * unavailable, so NIO is used.
 */
public final class EpollTcpTransportProvider implements TransportProvider {
    /** The priority of this provider. */
    public static final int PRIORITY = 20;
    /** The system property that, set to {@code false}, disables epoll (read on every availability check). */
    public static final String EPOLL_PROPERTY = "rpcx.transport.tcp.epoll";

    /** Creates the provider (ServiceLoader does this); it loads nothing native until asked. */
    public EpollTcpTransportProvider() {
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

    /** Whether Netty's native epoll loaded here and is not disabled. Never throws. */
    @Override
    public boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    /** Why epoll cannot be used, with what to do about it; empty when it can. */
    @Override
    public String unavailableReason() {
        if ("false".equalsIgnoreCase(System.getProperty(EPOLL_PROPERTY, "").trim())) {
            return "native epoll is disabled by -D" + EPOLL_PROPERTY + "=false";
        }
        Throwable cause;
        try {
            cause = EpollProbe.unavailabilityCause();
        } catch (LinkageError e) {
            cause = e;
        }
        if (cause == null) {
            return "";
        }
        return "native epoll is not available (" + cause + "); it needs Linux and, on the module path, "
                + "--add-modules io.netty.transport.epoll.linux.x86_64";
    }

    /**
     * Creates an epoll transport; it opens no socket and starts no thread until it listens or connects.
     *
     * @throws IllegalStateException if epoll is not available (see {@link #unavailableReason()})
     */
    @Override
    public Transport create(TransportConfig config) {
        String reason = unavailableReason();
        if (!reason.isEmpty()) {
            throw new IllegalStateException(reason);
        }
        return new NettyTransport(EpollKind.INSTANCE, config);
    }
}
