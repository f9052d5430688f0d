package rpcx.testkit;

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

import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Connection;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;

/**
 * Calls over a bad path for datagram transports (QUIC, KCP): an echo listener behind a {@link LossyUdpRelay}, a
 * client connection through the relay, many calls in flight, and the checks that every call got its own reply,
 * intact, with no error, while the path really lost datagrams both ways.
 */
public final class LossyPath {
    private LossyPath() {
    }

    /**
     * What a run leaves for further checks.
     *
     * @param connection the client connection the calls went over (its path is gone once the run returns)
     * @param toServer   the relay's counts towards the listener
     * @param toClient   the relay's counts towards the client
     */
    public record Outcome(Connection connection, LossyUdpRelay.Counts toServer, LossyUdpRelay.Counts toClient) {
    }

    /**
     * Makes {@code calls} calls of 1 to 3,000 bytes (so some span several datagrams) through a relay impairing both
     * directions alike, and checks every reply.
     *
     * @param server  the listening side's transport
     * @param client  the dialling side's transport (its connect timeout must allow for the lossy path)
     * @param network the network, e.g. {@code kcp}
     * @param bad     what the relay does to datagrams
     * @param seed    the relay's seed
     * @param calls   how many calls are in flight at once
     * @return the connection and the relay's counts
     * @throws Exception if the run cannot set up its sockets or waits too long
     */
    public static Outcome callsCompleteIntact(Transport server, Transport client, String network,
                                              LossyUdpRelay.Impairment bad, long seed, int calls) throws Exception {
        Listener listener = server.listen(network, "127.0.0.1:0", RecordingHandler.echo()).get(10, TimeUnit.SECONDS);
        try (LossyUdpRelay relay = LossyUdpRelay.start((InetSocketAddress) listener.localAddress(), bad, seed)) {
            RecordingHandler replies = new RecordingHandler();
            Connection c = client.connect(network, "127.0.0.1:" + relay.address().getPort(), replies).get(60, TimeUnit.SECONDS);
            Map<Long, byte[]> sent = new HashMap<>();
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (long seq = 1; seq <= calls; seq++) {
                byte[] payload = new byte[(int) (seq * 37 % 3000) + 1];
                for (int i = 0; i < payload.length; i++) {
                    payload[i] = (byte) (seq + i);
                }
                sent.put(seq, payload);
                sends.add(c.send(Message.request(seq, "Arith", "Mul", SerializeType.MSGPACK, Map.of(), payload)));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            for (int i = 0; i < calls; i++) {
                Message reply = replies.nextMessage(Duration.ofSeconds(60));
                assertArrayEquals(sent.remove(reply.seq()), reply.payload(), "reply " + reply.seq());
            }
            assertTrue(sent.isEmpty(), "unanswered: " + sent.keySet());
            assertEquals(0, replies.count(RecordingHandler.Kind.ERROR));
            assertTrue(relay.toTarget().dropped() > 0 && relay.toClient().dropped() > 0,
                    "the path lost datagrams both ways: " + relay.toTarget() + " / " + relay.toClient());
            c.close();
            return new Outcome(c, relay.toTarget(), relay.toClient());
        }
    }
}
