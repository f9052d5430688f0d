package rpcx.transport.tcp;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.testkit.TransportConformance;

/** The transport conformance suite on network tcp with Epoll. */
class EpollTcpConformanceTest extends TransportConformance {


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
        return "tcp";
    }

    @Override
    protected String listenAddress() {
        return "127.0.0.1:0";
    }
}
