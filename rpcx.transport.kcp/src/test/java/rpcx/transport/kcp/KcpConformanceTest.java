package rpcx.transport.kcp;

import java.time.Duration;

import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.testkit.RawStream;
import rpcx.testkit.RawStreams;
import rpcx.testkit.RecordingHandler;
import rpcx.testkit.TransportConformance;

/**
 * The transport conformance suite on network kcp, with Go rpcx's packet format (AES from the examples' PBKDF2 key,
 * FEC 10/3). The byte-level cases write raw bytes through a KCP session; KCP has no half-close, so that case is
 * skipped.
 */
class KcpConformanceTest extends TransportConformance {
    @Override
    protected Transport createTransport(TransportConfig config) {
        return new KcpTransportProvider().create(KcpTests.kcp(config));
    }

    @Override
    protected String network() {
        return "kcp";
    }

    @Override
    protected String listenAddress() {
        return "127.0.0.1:0";
    }

    /**
     * KCP with its default windows moves a 1 MiB frame in about 100 ms here, several times that while the JIT warms
     * up, which can pass the suite's 300 ms frame timeout; a stalled frame is still closed after 1 s.
     */
    @Override
    protected Duration frameTimeout() {
        return Duration.ofSeconds(1);
    }

    /** A KCP session that carries whatever bytes the test writes (a peer speaking KCP but not rpcx). */
    @Override
    protected RawStream openRawStream(Listener listener) {
        RecordingHandler received = new RecordingHandler();
        KcpSession c = (KcpSession) get(transport(clientConfig()).connect(network(), dialAddress(listener), received));
        return RawStreams.over(c, received, c::sendRaw, null);
    }
}
