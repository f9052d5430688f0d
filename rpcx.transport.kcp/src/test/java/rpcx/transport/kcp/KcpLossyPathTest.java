package rpcx.transport.kcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import rpcx.api.protocol.FrameLimits;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.testkit.LossyPath;
import rpcx.testkit.LossyUdpRelay;

/**
 * KCP over a bad path: a relay drops (5 % and 20 %, both ways), duplicates, reorders and delays datagrams, and every
 * call still gets its own reply, intact: FEC rebuilds what it can, KCP retransmits the rest. Also without FEC, where
 * KCP alone does it.
 */
class KcpLossyPathTest {
    @ParameterizedTest(name = "{0} loss, FEC {1}")
    @CsvSource({"0.05, true", "0.20, true", "0.20, false"})
    void everyCallCompletesCorrectlyOverALossyPath(double loss, boolean fec) throws Exception {
        KcpOptions options = fec ? KcpTests.OPTIONS : KcpTests.OPTIONS.withFec(0, 0);
        TransportConfig config = new TransportConfig(FrameLimits.DEFAULT, Duration.ZERO, Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(30), 1).withOption(options);
        LossyUdpRelay.Impairment bad = new LossyUdpRelay.Impairment(loss, 0.02, 0.05, Duration.ofMillis(2), Duration.ofMillis(3));
        try (Transport server = new KcpTransportProvider().create(config);
             Transport client = new KcpTransportProvider().create(config)) {
            LossyPath.Outcome run = LossyPath.callsCompleteIntact(server, client, "kcp", bad, 2026, 200);
            long rebuilt = ((KcpSession) run.connection()).fecRecovered();
            if (fec) {
                assertTrue(rebuilt > 0, "FEC rebuilt some of the lost replies' packets");
            } else {
                assertEquals(0, rebuilt);
            }
        }
    }
}
