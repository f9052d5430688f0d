package rpcx.transport.tcp;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.testkit.TransportConformance;

/** The transport conformance suite on network unix with Epoll. */
class EpollUnixConformanceTest extends TransportConformance {
    private static final SocketPaths SOCKETS = new SocketPaths();

    @BeforeAll
    static void requireEpoll() {
        Assumptions.assumeTrue(TcpTests.epollAvailable(), "native epoll is not available here");
    }

    @Override
    protected Transport createTransport(TransportConfig config) {
        return new EpollTcpTransportProvider().create(config);
    }

    @Override
    protected String network() {
        return "unix";
    }

    @Override
    protected String listenAddress() {
        return SOCKETS.next();
    }
}
