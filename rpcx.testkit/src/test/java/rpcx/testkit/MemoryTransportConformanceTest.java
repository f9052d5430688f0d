package rpcx.testkit;

import java.util.ServiceLoader;

import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.api.spi.TransportProvider;

/** Runs the transport conformance suite against rpcx.api's in-memory transport, to keep the suite itself honest. */
class MemoryTransportConformanceTest extends TransportConformance {
    private static final TransportProvider MEMU = ServiceLoader.load(TransportProvider.class).stream()
            .map(ServiceLoader.Provider::get).filter(p -> p.networks().contains("memu")).findFirst().orElseThrow();

    @Override
    protected Transport createTransport(TransportConfig config) {
        return MEMU.create(config);
    }

    @Override
    protected String network() {
        return "memu";
    }

    @Override
    protected String listenAddress() {
        return "";
    }
}
