package rpcx.transport.quic;

import java.io.IOException;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.testkit.RawPeer;
import rpcx.testkit.TransportConformance;

/**
 * The transport conformance suite on network quic. The byte-level cases need a raw byte stream to the listener,
 * which a QUIC listener does not offer (it speaks TLS-encrypted QUIC over UDP only): they are skipped.
 */
class QuicConformanceTest extends TransportConformance {
    @BeforeAll
    static void requireQuic() {
        Assumptions.assumeTrue(new QuicTransportProvider().isAvailable(), new QuicTransportProvider().unavailableReason());
    }

    @Override
    protected Transport createTransport(TransportConfig config) {
        return new QuicTransportProvider().create(config);
    }

    @Override
    protected TransportConfig serverConfig() {
        try {
            return super.serverConfig().withServerTls(QuicTests.server(), false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected String network() {
        return "quic";
    }

    @Override
    protected String listenAddress() {
        return "127.0.0.1:0";
    }

    /** A QUIC peer sees a stream with its first data, as quic-go's AcceptStream: a Go server sees a client's first request. */
    @Override
    protected boolean serverSeesConnectionAtFirstFrame() {
        return true;
    }

    @Override
    protected RawPeer openRaw(Listener listener) throws IOException {
        Assumptions.abort("no raw byte stream to a QUIC listener");
        return null;
    }
}
