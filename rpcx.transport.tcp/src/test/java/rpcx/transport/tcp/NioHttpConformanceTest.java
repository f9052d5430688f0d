package rpcx.transport.tcp;

import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.testkit.TransportConformance;

/** The transport conformance suite on network http (rpcx inside an HTTP CONNECT tunnel) with NIO. */
class NioHttpConformanceTest extends TransportConformance {

    @Override
    protected Transport createTransport(TransportConfig config) {
        return new NioTcpTransportProvider().create(config);
    }

    @Override
    protected String network() {
        return "http";
    }

    @Override
    protected String listenAddress() {
        return "127.0.0.1:0";
    }
}
