package rpcx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.Peer2PeerDiscovery;
import rpcx.api.SelectMode;
import rpcx.api.Server;
import rpcx.api.ServerNode;
import rpcx.api.XClient;
import rpcx.api.protocol.SerializeType;
import rpcx.codec.thrift.testtypes.ThriftArgs;
import rpcx.codec.thrift.testtypes.ThriftReply;
import rpcx.examples.memberproto.pb.ProtoArgs;
import rpcx.examples.memberproto.pb.ProtoReply;

/**
 * Whole rpcx frames with protobuf and thrift payloads, byte for byte, over real TCP. No Go peer runs here, so the
 * expected frames are derived from Go's golden msgpack frames for {@code Arith.Mul} (spec/golden-frames.txt) by
 * the rules of protocol.md: the same header and strings, the serialize byte changed to {@code type << 4}, and
 * {@code totalLen}/{@code payloadLen} following the new payload, which is the codec's encoding of the same values.
 */
class CodecWireTest {
    private static Server server;
    private static int port;
    private static Server thriftServer;
    private static int thriftPort;

    @BeforeAll
    static void start() {
        server = Server.create();
        server.register("Arith", new ProtoArith(), "");
        String hp = ServerNode.of(server.listen("tcp", "127.0.0.1:0")).hostAndPort();
        port = Integer.parseInt(hp.substring(hp.lastIndexOf(':') + 1));
        thriftServer = Server.create();
        thriftServer.register("Arith", new ProtoArith.Thrift(), "");
        hp = ServerNode.of(thriftServer.listen("tcp", "127.0.0.1:0")).hostAndPort();
        thriftPort = Integer.parseInt(hp.substring(hp.lastIndexOf(':') + 1));
    }

    @AfterAll
    static void stop() {
        server.close();
        thriftServer.close();
    }

    /*
     * Go's msgpack request: 08 00 00 30 | seq 0000000000000000 | totalLen 0000001f | 00000005 "Arith" |
     * 00000003 "Mul" | metadata 00000000 | payload 00000007 82a1410aa14214.
     * Protobuf: serialize byte 0x20 (2 << 4); payload ProtoArgs{A:10,B:20} = 08 0a 10 14 (4 bytes), so totalLen =
     * 0x1f - 7 + 4 = 0x1c. Response: 08 00 80 20 (response bit 0x80), payload ProtoReply{C:200} = 08 c8 01,
     * totalLen = 0x1d - 5 + 3 = 0x1b (Go's msgpack response payload 81a143ccc8 is 5 bytes).
     */
    static final byte[] PROTO_REQUEST = Frames.hex("08000020 0000000000000000 0000001c 00000005 4172697468 00000003 4d756c"
            + " 00000000 00000004 080a1014");
    static final byte[] PROTO_RESPONSE = Frames.hex("08008020 0000000000000000 0000001b 00000005 4172697468 00000003 4d756c"
            + " 00000000 00000003 08c801");

    /*
     * Thrift: serialize byte 0x40 (4 << 4); payload ThriftArgs{A:10,B:20} in TBinaryProtocol, bare struct:
     * 08 0001 0000000a (i32 field 1 = 10) 08 0002 00000014 (i32 field 2 = 20) 00 (stop) = 15 bytes, so totalLen =
     * 0x1f - 7 + 15 = 0x27. Response: ThriftReply{C:200} = 08 0001 000000c8 00 (8 bytes), totalLen = 0x1d - 5 + 8 = 0x20.
     */
    static final byte[] THRIFT_REQUEST = Frames.hex("08000040 0000000000000000 00000027 00000005 4172697468 00000003 4d756c"
            + " 00000000 0000000f 080001 0000000a 080002 00000014 00");
    static final byte[] THRIFT_RESPONSE = Frames.hex("08008040 0000000000000000 00000020 00000005 4172697468 00000003 4d756c"
            + " 00000000 00000008 080001 000000c8 00");

    private static void serverAnswers(int serverPort, byte[] request, byte[] response) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), serverPort)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request);
            assertEquals(Frames.hex(response), Frames.hex(Frames.read(s.getInputStream())));
        }
    }

    @Test
    void javaServerAnswersAProtobufMulFrameWithTheExpectedFrame() throws IOException {
        serverAnswers(port, PROTO_REQUEST, PROTO_RESPONSE);
    }

    @Test
    void javaServerAnswersAThriftMulFrameWithTheExpectedFrame() throws IOException {
        serverAnswers(thriftPort, THRIFT_REQUEST, THRIFT_RESPONSE);
    }

    private static XClient arith(ServerSocket ss, int codec) {
        return XClient.create("Arith", FailMode.FAILTRY, SelectMode.RANDOM_SELECT,
                new Peer2PeerDiscovery("tcp@127.0.0.1:" + ss.getLocalPort(), ""),
                ClientOptions.defaults().withSerializeType(codec));
    }

    @Test
    void javaClientWritesTheExpectedThriftFrameAndReadsTheReply() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> seen = Frames.fakeGoServer(ss, THRIFT_RESPONSE);
            ThriftReply reply;
            try (XClient x = arith(ss, SerializeType.THRIFT)) {
                reply = x.call("Mul", new ThriftArgs(10, 20), ThriftReply.class);
            }
            assertEquals(Frames.hex(THRIFT_REQUEST), Frames.hex(seen.get(10, TimeUnit.SECONDS)));
            assertEquals(200, reply.getC());
        }
    }

    @Test
    void javaClientWritesTheExpectedProtobufFrameAndReadsTheReply() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> seen = Frames.fakeGoServer(ss, PROTO_RESPONSE);
            ProtoReply reply;
            try (XClient x = arith(ss, SerializeType.PROTOBUF)) {
                reply = x.call("Mul", ProtoArgs.newBuilder().setA(10).setB(20).build(), ProtoReply.class);
            }
            assertEquals(Frames.hex(PROTO_REQUEST), Frames.hex(seen.get(10, TimeUnit.SECONDS)));
            assertEquals(200, reply.getC());
        }
    }
}
