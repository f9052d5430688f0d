package rpcx.transport.kcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Connection;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.testkit.LossyUdpRelay;
import rpcx.testkit.RecordingHandler;

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
        Transport serverTransport = new KcpTransportProvider().create(config);
        Transport clientTransport = new KcpTransportProvider().create(config);
        LossyUdpRelay.Impairment bad = new LossyUdpRelay.Impairment(loss, 0.02, 0.05, Duration.ofMillis(2), Duration.ofMillis(3));
        try {
            Listener listener = serverTransport.listen("kcp", "127.0.0.1:0", RecordingHandler.echo()).get(10, TimeUnit.SECONDS);
            try (LossyUdpRelay relay = LossyUdpRelay.start((InetSocketAddress) listener.localAddress(), bad, 2026)) {
                RecordingHandler replies = new RecordingHandler();
                Connection c = clientTransport.connect("kcp", "127.0.0.1:" + relay.address().getPort(), replies)
                        .get(60, TimeUnit.SECONDS);
                Map<Long, byte[]> sent = new HashMap<>();
                List<CompletableFuture<Void>> sends = new ArrayList<>();
                for (long seq = 1; seq <= 200; seq++) {
                    byte[] payload = new byte[(int) (seq * 37 % 3000) + 1]; // some span several segments
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] = (byte) (seq + i);
                    }
                    sent.put(seq, payload);
                    sends.add(c.send(Message.request(seq, "Arith", "Mul", SerializeType.MSGPACK, Map.of(), payload)));
                }
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                for (int i = 0; i < 200; i++) {
                    Message reply = replies.nextMessage(Duration.ofSeconds(60));
                    assertArrayEquals(sent.remove(reply.seq()), reply.payload(), "reply " + reply.seq());
                }
                assertTrue(sent.isEmpty(), "unanswered: " + sent.keySet());
                assertEquals(0, replies.count(RecordingHandler.Kind.ERROR));
                assertTrue(relay.toTarget().dropped() > 0 && relay.toClient().dropped() > 0,
                        "the path lost datagrams both ways: " + relay.toTarget() + " / " + relay.toClient());
                long rebuilt = ((KcpSession) c).fecRecovered();
                if (fec) {
                    assertTrue(rebuilt > 0, "FEC rebuilt some of the lost replies' packets");
                } else {
                    assertEquals(0, rebuilt);
                }
                c.close();
            }
        } finally {
            clientTransport.close();
            serverTransport.close();
        }
    }
}
