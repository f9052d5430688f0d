package rpcx.transport.tcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import rpcx.api.protocol.FrameLimits;
import rpcx.api.spi.TransportConfig;
import rpcx.api.spi.TransportProvider;

/** Shared bits of this module's tests. */
final class TcpTests {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private TcpTests() {
    }

    static boolean epollAvailable() {
        return new EpollTcpTransportProvider().isAvailable();
    }

    /** NIO always, epoll when it loads here: for parameterized tests. */
    static List<TransportProvider> providers() {
        List<TransportProvider> out = new ArrayList<>();
        out.add(new NioTcpTransportProvider());
        if (epollAvailable()) {
            out.add(new EpollTcpTransportProvider());
        }
        return out;
    }

    /** A server configuration: 64 KiB frames, the given frame timeout, two I/O threads. */
    static TransportConfig server(Duration frameTimeout) {
        return new TransportConfig(FrameLimits.DEFAULT.withMaxMessageLength(64 * 1024), Duration.ZERO, Duration.ZERO,
                frameTimeout, Duration.ofSeconds(5), 2);
    }

    static TransportConfig client() {
        return TransportConfig.DEFAULT.withConnectTimeout(Duration.ofSeconds(5));
    }
}
