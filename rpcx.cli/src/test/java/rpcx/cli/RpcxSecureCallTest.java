package rpcx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import rpcx.api.Server;
import rpcx.api.ServerOptions;
import rpcx.api.Tls;
import rpcx.examples.member.cmd.MemberServer;
import rpcx.testkit.SelfSignedTls;
import rpcx.transport.kcp.KcpCrypt;
import rpcx.transport.kcp.KcpOptions;

/**
 * {@code rpcx call} to a TLS server ({@code --tls}, {@code --cacert}, {@code --insecure}), to one that requires a
 * client certificate ({@code --cert}, {@code --key}) and to a KCP server.
 */
class RpcxSecureCallTest {
    private static final String USER_999 = "{\"UID\":999,\"AddTime\":14990093,\"UserType\":2,"
            + "\"Uface\":\"http://image.xxxx.xxx/t.gif\",\"UserName\":\"Joke\"}\n";

    @Test
    void callsATlsServerTrustingItsCertificateOrNothing() throws Exception {
        try (Server server = MemberServer.configure(Server.create(ServerOptions.defaults().withTls(SelfSignedTls.server())))) {
            String address = server.listen("tcp", "127.0.0.1:0");
            Cli.Run trusted = Cli.rpcx("call", "--cacert", SelfSignedTls.certificatePem().toString(), address,
                    "ServiceUser.UserInfo", "{\"Uid\":999}");
            assertEquals(0, trusted.code(), trusted.err());
            assertEquals(USER_999, trusted.out());

            Cli.Run insecure = Cli.rpcx("call", "--insecure", address, "ServiceUser.UserInfo", "{\"Uid\":999}");
            assertEquals(0, insecure.code(), insecure.err());
            assertEquals(USER_999, insecure.out());

            // the JVM's CAs do not know the self-signed certificate: the handshake fails, the server is unreachable
            Cli.Run jvmTrust = Cli.rpcx("call", "--tls", "--timeout", "5s", address, "ServiceUser.UserInfo", "{\"Uid\":999}");
            assertEquals(Rpcx.UNREACHABLE, jvmTrust.code(), jvmTrust.out() + jvmTrust.err());
            assertEquals("", jvmTrust.out());
        }
    }

    /** A server that requires a client certificate: refused without one, served with {@code --cert}/{@code --key}. */
    @Test
    void presentsAClientCertificateToAServerThatRequiresOne() throws Exception {
        ServerOptions mutual = ServerOptions.defaults().withTls(Tls.context(SelfSignedTls.keys(), SelfSignedTls.trust()))
                .withTlsClientAuth(true);
        try (Server server = MemberServer.configure(Server.create(mutual))) {
            String address = server.listen("tcp", "127.0.0.1:0");
            String ca = SelfSignedTls.certificatePem().toString();
            Cli.Run withCert = Cli.rpcx("call", "--cacert", ca, "--cert", ca, "--key", SelfSignedTls.privateKeyPem().toString(),
                    address, "ServiceUser.UserInfo", "{\"Uid\":999}");
            assertEquals(0, withCert.code(), withCert.err());
            assertEquals(USER_999, withCert.out());

            Cli.Run without = Cli.rpcx("call", "--cacert", ca, "--timeout", "5s", address, "ServiceUser.UserInfo", "{\"Uid\":999}");
            assertNotEquals(0, without.code(), without.out());
            assertEquals("", without.out());
        }
    }

    @Test
    void keysOnlyInPkcs8AndWithTheirCertificate() throws Exception {
        String ca = SelfSignedTls.certificatePem().toString();
        Cli.Run alone = Cli.rpcx("call", "--cert", ca, "tcp@127.0.0.1:1", "ServiceUser.UserInfo");
        assertEquals(Rpcx.USAGE, alone.code(), alone.err());
        assertTrue(alone.err().contains("--cert and --key go together"), alone.err());

        Path sec1 = Files.createTempFile("sec1", ".pem");
        Files.writeString(sec1, "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n");
        Cli.Run wrongFormat = Cli.rpcx("call", "--cert", ca, "--key", sec1.toString(), "tcp@127.0.0.1:1", "ServiceUser.UserInfo");
        assertEquals(Rpcx.USAGE, wrongFormat.code(), wrongFormat.err());
        assertTrue(wrongFormat.err().contains("openssl pkcs8 -topk8 -nocrypt"), wrongFormat.err());
        Files.delete(sec1);
    }

    @Test
    void aCaCertFileThatIsNotACertificateIsAUsageError() throws Exception {
        Cli.Run r = Cli.rpcx("call", "--cacert", SelfSignedTls.keyStoreFile().toString(), "tcp@127.0.0.1:1",
                "ServiceUser.UserInfo");
        assertEquals(Rpcx.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--cacert"), r.err());
    }

    @Test
    void callsAKcpServerWithItsKeyAndSaysWhenTheKeyIsMissing() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        KcpOptions examples = KcpOptions.of(KcpCrypt.aesFromPassword("rpcx-key", "rpcx-salt"));
        try (Server server = MemberServer.configure(Server.create(ServerOptions.defaults().withTransportOption(examples)))) {
            String address = server.listen("kcp", "127.0.0.1:" + port);
            Cli.Run r = Cli.rpcx("call", "--kcp-key", "rpcx-key", address, "ServiceUser.UserInfo", "{\"Uid\":999}");
            assertEquals(0, r.code(), r.err());
            assertEquals(USER_999, r.out());

            Cli.Run missing = Cli.rpcx("call", address, "ServiceUser.UserInfo", "{\"Uid\":999}");
            assertEquals(Rpcx.USAGE, missing.code(), missing.err());
            assertTrue(missing.err().contains("--kcp-key"), missing.err());

            // another key: the server drops every packet (its checksum fails after decryption), no reply
            Cli.Run wrong = Cli.rpcx("call", "--kcp-key", "other-key", "--timeout", "1s", address,
                    "ServiceUser.UserInfo", "{\"Uid\":999}");
            assertNotEquals(0, wrong.code(), wrong.out());
            assertEquals("", wrong.out());
        }
    }
}
