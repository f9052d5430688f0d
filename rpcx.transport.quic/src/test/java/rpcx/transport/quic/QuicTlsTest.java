package rpcx.transport.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import rpcx.api.Tls;
import rpcx.api.TransportException;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Connection;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.testkit.RecordingHandler;
import rpcx.testkit.SelfSignedTls;

/** QUIC's TLS as Go's: required on the server, ALPN rpcx, verified when the client is given trust, else not. */
class QuicTlsTest {
    private static final TransportConfig PLAIN = new TransportConfig(FrameLimits.DEFAULT, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ofSeconds(3), 1);
    private final java.util.List<Transport> transports = new java.util.ArrayList<>();

    @BeforeAll
    static void requireQuic() {
        Assumptions.assumeTrue(new QuicTransportProvider().isAvailable(), new QuicTransportProvider().unavailableReason());
    }

    @AfterEach
    void close() {
        transports.forEach(Transport::close);
    }

    private Transport transport(TransportConfig config) {
        Transport t = new QuicTransportProvider().create(config);
        transports.add(t);
        return t;
    }

    private Listener listen() throws Exception {
        return transport(PLAIN.withServerTls(SelfSignedTls.server(), false))
                .listen("quic", "127.0.0.1:0", RecordingHandler.echo()).get(10, TimeUnit.SECONDS);
    }

    private static String address(Listener l) {
        return "127.0.0.1:" + ((InetSocketAddress) l.localAddress()).getPort();
    }

    private static void roundTrip(Connection c, RecordingHandler replies) throws Exception {
        c.send(Message.request(7, "Arith", "Mul", SerializeType.MSGPACK, Map.of(), new byte[] {1, 2, 3})).get(10, TimeUnit.SECONDS);
        assertEquals(7, replies.nextMessage(Duration.ofSeconds(10)).seq());
    }

    @Test
    void aClientTrustingTheServersCertificateConnectsAndOneWithoutTrustDoesAsGosDefault() throws Exception {
        Listener l = listen();
        RecordingHandler trusted = new RecordingHandler();
        roundTrip(transport(PLAIN.withClientTls(SelfSignedTls.client())).connect("quic", address(l), trusted).get(10, TimeUnit.SECONDS), trusted);
        RecordingHandler insecure = new RecordingHandler(); // Go's client with no TLSConfig: InsecureSkipVerify
        roundTrip(transport(PLAIN).connect("quic", address(l), insecure).get(10, TimeUnit.SECONDS), insecure);
    }

    @Test
    void aClientTrustingNothingOfOursIsRefused() throws Exception {
        Listener l = listen();
        KeyStore empty = KeyStore.getInstance("PKCS12");
        empty.load(null, null);
        // trust nothing: a store without our certificate
        TrustManagerFactory none = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        none.init(empty);
        ExecutionException e = assertThrows(ExecutionException.class, () -> transport(PLAIN.withClientTls(Tls.context(null, none)))
                .connect("quic", address(l), new RecordingHandler()).get(10, TimeUnit.SECONDS));
        assertInstanceOf(TransportException.class, e.getCause());
    }

    @Test
    void missingOrOpaqueTlsIsAClearError() throws Exception {
        ExecutionException noTls = assertThrows(ExecutionException.class,
                () -> transport(PLAIN).listen("quic", "127.0.0.1:0", RecordingHandler.echo()).get(10, TimeUnit.SECONDS));
        assertTrue(noTls.getCause().getMessage().contains("quic needs TLS"), noTls.getCause().getMessage());

        SSLContext opaque = SSLContext.getInstance("TLS");
        opaque.init(null, null, null);
        ExecutionException noKeys = assertThrows(ExecutionException.class, () -> transport(PLAIN.withServerTls(opaque, false))
                .listen("quic", "127.0.0.1:0", RecordingHandler.echo()).get(10, TimeUnit.SECONDS));
        assertTrue(noKeys.getCause().getMessage().contains("rpcx.api.Tls.context"), noKeys.getCause().getMessage());

        ExecutionException badNetwork = assertThrows(ExecutionException.class,
                () -> transport(PLAIN).connect("udp", "127.0.0.1:1", new RecordingHandler()).get(10, TimeUnit.SECONDS));
        assertTrue(badNetwork.getCause().getMessage().contains("unsupported network 'udp'"), badNetwork.getCause().getMessage());
    }

    @Test
    void aServerThatDoesNotAnswerFailsTheDialWithinTheConnectTimeout() throws Exception {
        int silent;
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            silent = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class, () -> transport(PLAIN.withConnectTimeout(Duration.ofSeconds(1)))
                .connect("quic", "127.0.0.1:" + silent, new RecordingHandler()).get(10, TimeUnit.SECONDS));
        assertInstanceOf(TransportException.class, e.getCause());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(9), "bounded by the connect timeout");
    }
}
