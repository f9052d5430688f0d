package rpcx.transport.quic;

import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.testkit.RawStream;
import rpcx.testkit.RawStreams;
import rpcx.testkit.RecordingHandler;
import rpcx.testkit.SelfSignedTls;
import rpcx.testkit.TransportConformance;

/**
 * The transport conformance suite on network quic. The byte-level cases write raw bytes on the QUIC stream of a
 * client connection (a QUIC listener offers no other byte stream); the half-close is the stream's FIN.
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
            return super.serverConfig().withServerTls(SelfSignedTls.server(), false);
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

    /** A 1 MiB frame over QUIC can take longer than the suite's 300 ms while the JIT warms up. */
    @Override
    protected Duration frameTimeout() {
        return Duration.ofSeconds(1);
    }

    /** The stream of a client connection, announced to the server by its first bytes. */
    @Override
    protected RawStream openRawStream(Listener listener) {
        RecordingHandler received = new RecordingHandler();
        QuicConnection c = (QuicConnection) get(transport(clientConfig()).connect(network(), dialAddress(listener), received));
        return RawStreams.over(c, received, c::sendRaw, c::shutdownOutput);
    }
}
