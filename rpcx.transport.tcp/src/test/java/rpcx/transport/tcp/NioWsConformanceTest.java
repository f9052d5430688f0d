package rpcx.transport.tcp;

import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.testkit.TransportConformance;

/** The transport conformance suite on network ws (rpcx inside a WebSocket) with NIO. */
class NioWsConformanceTest extends TransportConformance {

    @Override
    protected Transport createTransport(TransportConfig config) {
        return new NioTcpTransportProvider().create(config);
    }

    @Override
    protected String network() {
        return "ws";
    }

    @Override
    protected String listenAddress() {
        return "127.0.0.1:0";
    }
}
