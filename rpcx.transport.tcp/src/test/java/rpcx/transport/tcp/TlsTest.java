package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.Peer2PeerDiscovery;
import rpcx.api.RpcException;
import rpcx.api.SelectMode;
import rpcx.api.Server;
import rpcx.api.ServerOptions;
import rpcx.api.XClient;
import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.transport.tcp.HttpTests.Arith;
import rpcx.transport.tcp.HttpTests.RawHttp;
import rpcx.transport.tcp.HttpTests.Response;

/**
 * TLS on the rpcx port (Go's {@code server.WithTLSConfig} / {@code client.Option.TLSConfig}): a self-signed EC
 * certificate made with keytool at test time, rpcx and HTTPS on one port, mutual TLS, plaintext refused.
 */
public class TlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final byte[] MSGPACK_ARGS = HexFormat.of().parseHex("82a1410aa14214");
    private static final byte[] MSGPACK_REPLY = HexFormat.of().parseHex("81a143ccc8");

    @TempDir
    static Path dir;
    private static KeyStore serverKeys;
    private static KeyStore clientKeys;
    private static Path serverPem;

    private Server server;
    private int port;

    @BeforeAll
    static void certificates() throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Assumptions.assumeTrue(Files.isExecutable(keytool), "no keytool in " + keytool);
        Path server = dir.resolve("server.p12");
        Path client = dir.resolve("client.p12");
        run(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", server.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        run(keytool.toString(), "-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=client", "-validity", "2",
                "-keystore", client.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        serverPem = dir.resolve("server.pem");
        run(keytool.toString(), "-exportcert", "-rfc", "-alias", "server", "-keystore", server.toString(),
                "-storepass", "changeit", "-file", serverPem.toString());
        serverKeys = load(server);
        clientKeys = load(client);
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool timed out");
        assertEquals(0, p.exitValue(), "keytool failed: " + out);
    }

    private static KeyStore load(Path p12) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    /** A trust store holding the certificate of a key store's only entry. */
    private static KeyStore trusting(KeyStore keys, String alias) throws Exception {
        Certificate cert = keys.getCertificate(alias);
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry(alias, cert);
        return ts;
    }

    private static SSLContext context(KeyStore keys, KeyStore trust) throws Exception {
        KeyManagerFactory kmf = null;
        if (keys != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD);
        }
        TrustManagerFactory tmf = null;
        if (trust != null) {
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return ctx;
    }

    private static SSLContext serverContext() throws Exception {
        return context(serverKeys, trusting(clientKeys, "client"));
    }

    private static SSLContext clientContext(boolean withCertificate) throws Exception {
        return context(withCertificate ? clientKeys : null, trusting(serverKeys, "server"));
    }

    private void start(ServerOptions options) {
        server = Server.create(options);
        server.register(new Arith());
        String address = server.listen("tcp", "127.0.0.1:0");
        port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Arith.Reply call(String host, ClientOptions options) {
        try (XClient client = XClient.create("Arith", FailMode.FAILFAST, SelectMode.RANDOM_SELECT,
                new Peer2PeerDiscovery("tcp@" + host + ":" + port, ""), options.withRetries(0))) {
            return client.call("Mul", new Arith.Args(10, 20), Arith.Reply.class);
        }
    }

    @Test
    void xclientCallsOverTlsByHostNameAndByIp() throws Exception {
        start(ServerOptions.defaults().withTls(serverContext()));
        ClientOptions tls = ClientOptions.defaults().withTls(clientContext(false)).withConnectTimeout(Duration.ofSeconds(5));
        assertEquals(new Arith.Reply(200), call("localhost", tls));
        assertEquals(new Arith.Reply(200), call("127.0.0.1", tls));
    }

    @Test
    void wssAndHttpsTunnelsCarryRpcxOverTls() throws Exception {
        start(ServerOptions.defaults().withTls(serverContext()));
        ClientOptions tls = ClientOptions.defaults().withTls(clientContext(false)).withConnectTimeout(Duration.ofSeconds(5))
                .withRetries(0);
        for (String network : List.of("wss", "http")) { // Go: a WebSocket, or CONNECT, inside TLS
            try (XClient client = XClient.create("Arith", FailMode.FAILFAST, SelectMode.RANDOM_SELECT,
                    new Peer2PeerDiscovery(network + "@localhost:" + port, ""), tls)) {
                assertEquals(new Arith.Reply(200), client.call("Mul", new Arith.Args(10, 20), Arith.Reply.class), network);
            }
        }
        try (XClient plain = XClient.create("Arith", FailMode.FAILFAST, SelectMode.RANDOM_SELECT,
                new Peer2PeerDiscovery("ws@localhost:" + port, ""), ClientOptions.defaults().withRetries(0)
                        .withConnectTimeout(Duration.ofSeconds(2)))) {
            assertThrows(RpcException.class, () -> plain.call("Mul", new Arith.Args(1, 1), Arith.Reply.class),
                    "a plaintext WebSocket to a TLS port is refused");
        }
    }

    @Test
    void clientRefusesAnUntrustedServer() throws Exception {
        start(ServerOptions.defaults().withTls(serverContext()));
        SSLContext trustsNothingOfOurs = context(null, trusting(clientKeys, "client"));
        RpcException e = assertThrows(RpcException.class, () -> call("localhost", ClientOptions.defaults().withTls(trustsNothingOfOurs)));
        assertTrue(String.valueOf(e.getMessage()).contains("TLS"), e.getMessage());
    }

    @Test
    void httpsGatewayAndJsonRpcOnTheSamePort() throws Exception {
        start(ServerOptions.defaults().withTls(serverContext()));
        HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(clientContext(false))
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<byte[]> gw = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(MSGPACK_ARGS)).header("X-RPCX-MessageID", "10000")
                .header("X-RPCX-SerializeType", "3").header("X-RPCX-ServicePath", "Arith").header("X-RPCX-ServiceMethod", "Mul")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, gw.statusCode());
        assertArrayEquals(MSGPACK_REPLY, gw.body());
        HttpResponse<String> rpc = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"Arith.Mul\",\"params\":{\"A\":10,\"B\":20},\"id\":3}"))
                .header("X-JSONRPC-2.0", "true").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("{\"jsonrpc\":\"2.0\",\"result\":{\"C\":200},\"id\":3}", rpc.body());
        // and binary rpcx over TLS on the same port
        assertEquals(new Arith.Reply(200), call("localhost", ClientOptions.defaults().withTls(clientContext(false))));

        if (HttpTests.curlAvailable()) {
            Response curl = HttpTests.curl("--cacert", serverPem.toString(), "--header", "X-JSONRPC-2.0: true",
                    "https://localhost:" + port + "/", "-d",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"Arith.Mul\",\"params\":{\"A\":10,\"B\":20},\"id\":3}");
            assertEquals("{\"jsonrpc\":\"2.0\",\"result\":{\"C\":200},\"id\":3}", curl.text());
        }
    }

    @Test
    void plaintextIsRefusedWhenTlsIsOn() throws Exception {
        start(ServerOptions.defaults().withTls(serverContext()));
        assertThrows(RpcException.class, () -> call("127.0.0.1", ClientOptions.defaults().withConnectTimeout(Duration.ofSeconds(2))));
        try (RawHttp raw = new RawHttp(port)) {
            Response r = raw.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read();
            assertEquals(400, r.status());
            assertEquals("Client sent an HTTP request to an HTTPS server.\n", r.text());
            assertTrue(raw.closedByPeer());
        }
        try (RawHttp raw = new RawHttp(port)) {
            raw.send(FrameCodec.encode(Message.request(1, "Arith", "Mul", SerializeType.MSGPACK, java.util.Map.of(), MSGPACK_ARGS)));
            assertTrue(raw.closedByPeer());
        }
        assertEquals(new Arith.Reply(200), call("localhost", ClientOptions.defaults().withTls(clientContext(false))));
    }

    @Test
    void mutualTlsNeedsAClientCertificate() throws Exception {
        start(ServerOptions.defaults().withTls(serverContext()).withTlsClientAuth(true));
        assertEquals(new Arith.Reply(200), call("localhost", ClientOptions.defaults().withTls(clientContext(true))));
        RpcException e = assertThrows(RpcException.class,
                () -> call("localhost", ClientOptions.defaults().withTls(clientContext(false))));
        // TLS 1.3: the client's handshake completes before the server checks its (missing) certificate; the server
        // then aborts the connection, so the call fails as a transport error
        assertEquals(RpcException.Kind.TRANSPORT, e.kind(), e.toString());
        // the listener keeps serving authenticated clients
        assertEquals(new Arith.Reply(200), call("127.0.0.1", ClientOptions.defaults().withTls(clientContext(true))));
    }

    @Test
    void unixSocketsIgnoreTls() throws Exception {
        // Go serves neither TLS nor the gateway on unix sockets; neither do we
        server = Server.create(ServerOptions.defaults().withTls(serverContext()));
        server.register(new Arith());
        Path sock = dir.resolve("s.sock");
        String address = server.listen("unix", sock.toString());
        try (XClient client = XClient.create("Arith", FailMode.FAILFAST, SelectMode.RANDOM_SELECT,
                new Peer2PeerDiscovery(address, ""), ClientOptions.defaults().withTls(clientContext(false)))) {
            assertEquals(new Arith.Reply(200), client.call("Mul", new Arith.Args(10, 20), Arith.Reply.class));
        }
        assertTrue(List.of(address).get(0).startsWith("unix@"));
    }
}
