package rpcx.transport.quic;

import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import rpcx.api.protocol.FrameLimits;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.testkit.LossyPath;
import rpcx.testkit.LossyUdpRelay;
import rpcx.testkit.SelfSignedTls;

/**
 * QUIC over a bad path: a relay drops (5 % and 20 %, both ways), duplicates, reorders and delays datagrams, and
 * every call still gets its own reply, intact; QUIC's retransmission does the work.
 */
class QuicLossyPathTest {
    @BeforeAll
    static void requireQuic() {
        Assumptions.assumeTrue(new QuicTransportProvider().isAvailable(), new QuicTransportProvider().unavailableReason());
    }

    @ParameterizedTest(name = "{0} loss")
    @ValueSource(doubles = {0.05, 0.20})
    void everyCallCompletesCorrectlyOverALossyPath(double loss) throws Exception {
        TransportConfig server = new TransportConfig(FrameLimits.DEFAULT, Duration.ZERO, Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(5), 1).withServerTls(SelfSignedTls.server(), false);
        TransportConfig client = new TransportConfig(FrameLimits.DEFAULT, Duration.ZERO, Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(30), 0);
        LossyUdpRelay.Impairment bad = new LossyUdpRelay.Impairment(loss, 0.02, 0.05, Duration.ofMillis(2), Duration.ofMillis(3));
        try (Transport serverTransport = new QuicTransportProvider().create(server);
             Transport clientTransport = new QuicTransportProvider().create(client)) {
            LossyPath.callsCompleteIntact(serverTransport, clientTransport, "quic", bad, 2026, 200);
        }
    }
}
