package rpcx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import rpcx.api.CallOptions;
import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.Peer2PeerDiscovery;
import rpcx.api.SelectMode;
import rpcx.api.Server;
import rpcx.api.ServerNode;
import rpcx.api.ServiceException;
import rpcx.api.XClient;
import rpcx.api.protocol.SerializeType;
import rpcx.examples.member.cmd.MemberServer;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.Reply;

/**
 * Wire compatibility with Go rpcx over real TCP: the Java server answers Go's golden request frames with Go's
 * golden response frames byte for byte, and the Java client writes Go's golden request frames and reads Go's
 * golden responses (a raw socket plays the Go server).
 */
class GoldenWireTest {
    private static Server server;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() {
        server = MemberServer.configure(Server.create());
        server.register(new Arith());
        String where = server.listen("tcp", "127.0.0.1:0");
        String hostPort = ServerNode.of(where).hostAndPort();
        address = new InetSocketAddress("127.0.0.1", Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "request  Arith.Mul msgpack {A:10,B:20}",
        "request  Arith.Mul msgpack seq=12345",
        "request  Arith.Mul json {A:10,B:20}",
        "request  ServiceUser.UserInfo msgpack {Uid:1}",
        "request  ServiceUser.UserInfo json {Uid:1}",
        "request  Arith.Div msgpack {A:1,B:0}",
        "request  heartbeat seq=7",
        "live capture: real client heartbeat",
        "live capture: Arith.Nope",
        "live capture: NoSuch.X",
    })
    void javaServerAnswersGoRequestsWithGoResponsesByteForByte(String description) throws IOException {
        byte[] request = Frames.golden(description, 0);
        byte[] expected = Frames.golden(description, 1);
        try (Socket s = new Socket(address.getAddress(), address.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            assertEquals(Frames.hex(expected), Frames.hex(Frames.read(s.getInputStream())));
        }
    }

    @Test
    void deadlineMetadataFromAGoClientIsHonouredAndAnswered() throws IOException {
        byte[] request = Frames.golden("__ServerTimeout=4999", 0);
        byte[] expected = Frames.golden("response Arith.Mul msgpack {A:10,B:20}", 0);
        try (Socket s = new Socket(address.getAddress(), address.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request);
            assertEquals(Frames.hex(expected), Frames.hex(Frames.read(s.getInputStream())));
        }
    }

    @Test
    void manyGoRequestsPipelinedOnOneConnectionAreAllAnswered() throws IOException {
        byte[] mul = Frames.golden("request  Arith.Mul msgpack {A:10,B:20}", 0);
        try (Socket s = new Socket(address.getAddress(), address.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < 200; i++) {
                byte[] req = mul.clone();
                java.nio.ByteBuffer.wrap(req).putLong(4, i);
                out.write(req);
            }
            out.flush();
            boolean[] seen = new boolean[200];
            InputStream in = s.getInputStream();
            for (int i = 0; i < 200; i++) {
                byte[] res = Frames.read(in);
                seen[(int) java.nio.ByteBuffer.wrap(res).getLong(4)] = true;
            }
            for (boolean b : seen) {
                assertTrue(b);
            }
        }
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', value = {
        "request  ServiceUser.UserInfo msgpack {Uid:1}|3",
        "request  ServiceUser.UserInfo json {Uid:1}|1",
    })
    void javaClientSpeaksToAGoServerByteForByte(String description, int codec) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> seen = Frames.fakeGoServer(ss, Frames.golden(description, 1));
            Reply reply;
            try (XClient x = XClient.create("ServiceUser", FailMode.FAILTRY, SelectMode.RANDOM_SELECT,
                    new Peer2PeerDiscovery("tcp@127.0.0.1:" + ss.getLocalPort(), ""),
                    ClientOptions.defaults().withSerializeType(codec))) {
                reply = x.call("UserInfo", new Args(1), Reply.class);
            }
            assertEquals(Frames.hex(Frames.golden(description, 0)), Frames.hex(seen.get(10, TimeUnit.SECONDS)),
                    "the Java client's first request must equal Go's");
            assertEquals("{1 14990093 2 http://image.xxxx.xxx/t.gif Joke}", reply.user().toString());
        }
    }

    @Test
    void javaClientReadsAGoServiceErrorWithItsZeroReply() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            byte[] goError = Frames.golden("response Arith.Div", 0).clone();
            java.nio.ByteBuffer.wrap(goError).putLong(4, 0); // the Java client's first seq is 0
            CompletableFuture<byte[]> seen = Frames.fakeGoServer(ss, goError);
            try (XClient x = XClient.create("Arith", FailMode.FAILTRY, SelectMode.RANDOM_SELECT,
                    new Peer2PeerDiscovery("tcp@127.0.0.1:" + ss.getLocalPort(), ""), ClientOptions.defaults())) {
                ServiceException e = assertThrows(ServiceException.class, () -> x.call("Div", new Arith.Args(1, 0), Arith.Reply.class));
                assertEquals("divide by zero", e.getMessage());
            }
            byte[] expectedRequest = Frames.golden("request  Arith.Div", 0).clone();
            java.nio.ByteBuffer.wrap(expectedRequest).putLong(4, 0);
            assertEquals(Frames.hex(expectedRequest), Frames.hex(seen.get(10, TimeUnit.SECONDS)));
        }
    }

    @Test
    void javaClientSendsItsDeadlineAsServerTimeout() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> seen = Frames.fakeGoServer(ss, Frames.golden("response Arith.Mul msgpack {A:10,B:20}", 0));
            try (XClient x = XClient.create("Arith", FailMode.FAILTRY, SelectMode.RANDOM_SELECT,
                    new Peer2PeerDiscovery("tcp@127.0.0.1:" + ss.getLocalPort(), ""), ClientOptions.defaults())) {
                Arith.Reply r = x.call("Mul", new Arith.Args(10, 20), Arith.Reply.class,
                        CallOptions.timeout(java.time.Duration.ofSeconds(5)));
                assertEquals(200, r.c());
            }
            var req = rpcx.api.protocol.FrameCodec.decode(java.nio.ByteBuffer.wrap(seen.get(10, TimeUnit.SECONDS)),
                    rpcx.api.protocol.FrameLimits.DEFAULT);
            long ms = Long.parseLong(req.metadata().get("__ServerTimeout"));
            assertTrue(ms > 4000 && ms <= 5000, "__ServerTimeout=" + ms);
            assertEquals(SerializeType.MSGPACK, req.serializeType());
        }
    }
}
