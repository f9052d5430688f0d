package rpcx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import rpcx.api.Server;
import rpcx.api.ServerOptions;
import rpcx.examples.member.cmd.MemberServer;
import rpcx.testkit.SelfSignedTls;
import rpcx.transport.kcp.KcpCrypt;
import rpcx.transport.kcp.KcpOptions;

/** {@code rpcx call} to a TLS server ({@code --tls}, {@code --cacert}, {@code --insecure}) and to a KCP server. */
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
