package rpcx.transport.tcp;

import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.testkit.TransportConformance;

/** The transport conformance suite on network unix with Nio. */
class NioUnixConformanceTest extends TransportConformance {
    private static final SocketPaths SOCKETS = new SocketPaths();

    @Override
    protected Transport createTransport(TransportConfig config) {
        return new NioTcpTransportProvider().create(config);
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
