package rpcx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import rpcx.api.CallOptions;
import rpcx.api.Client;
import rpcx.api.ClientOptions;
import rpcx.api.RpcConfigurationException;
import rpcx.api.Server;
import rpcx.api.ServerOptions;
import rpcx.api.protocol.CompressType;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Codec;
import rpcx.api.spi.CodecException;
import rpcx.codec.thrift.testtypes.ThriftArgs;
import rpcx.codec.thrift.testtypes.ThriftReply;
import rpcx.examples.member.cmd.MemberServer;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.Reply;
import rpcx.examples.memberproto.pb.ProtoArgs;
import rpcx.examples.memberproto.pb.ProtoReply;

/**
 * Codecs and compression against a running server over real TCP: the reply always comes in the request's
 * SerializeType; a payload that does not decode, a codec that does not fit the method, an unknown codec and a gzip
 * bomb each get an error reply while the connection and the server go on; the 1024-byte gzip threshold holds in
 * both directions; codecs given in code work on both sides.
 */
class CodecsOverTcpTest {
    private static final ClientOptions RAW = ClientOptions.defaults().withSerializeType(SerializeType.NONE);
    private static final int MAX = 1 << 20;
    private static Server server;
    private static String address;

    @BeforeAll
    static void start() {
        server = MemberServer.configure(Server.create(ServerOptions.defaults().withMaxMessageLength(MAX)));
        server.register("Arith", new ProtoArith(), "");
        server.register("ThriftArith", new ProtoArith.Thrift(), "");
        // reports how the request arrived, and answers with `size` bytes (given as the request's text payload)
        server.addHandler("Wire", "Shape", hc -> {
            Message req = hc.call().request();
            hc.call().setResponseMetadata("compress", Integer.toString(req.compressType()))
                    .setResponseMetadata("wireLength", Integer.toString(req.payloadLength()));
            hc.write(new byte[hc.payload().length]);
        });
        address = server.listen("tcp", "127.0.0.1:0");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Message request(String service, String method, int serializeType, byte[] payload) {
        return Message.request(0, service, method, serializeType, Map.of(), payload);
    }

    /** After a bad request, the same connection still serves a good one. */
    private static void stillServes(Client c) {
        Reply r = c.call("ServiceUser", "UserInfo", new Args(7), Reply.class, CallOptions.NONE.withSerializeType(SerializeType.MSGPACK));
        assertEquals(7, r.user().uid());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "json: not JSON|ServiceUser|1|7b2255",
        "json: wrong field type|ServiceUser|1|7b22556964223a2278227d",
        "msgpack: reserved byte 0xc1|ServiceUser|3|c1",
        "msgpack: str32 claiming 2 GiB|ServiceUser|3|81a3556964db7fffffff",
        "protobuf: broken varint|Arith|2|08ffffffffffffffffffff01",
        "protobuf: message into a record (wrong codec for the method)|ServiceUser|2|08e707",
        "thrift: string claiming 2 GiB|ThriftArith|4|0b00017fffffff",
        "thrift: i32 field cut short|ThriftArith|4|08000100",
        "thrift: record is not a TBase (wrong codec for the method)|ServiceUser|4|00",
    })
    void payloadThatDoesNotDecodeGetsAnErrorReplyAndTheServerGoesOn(String what, String service, int codec, String hex) {
        try (Client c = Client.connect(address, RAW)) {
            String method = service.endsWith("Arith") ? "Mul" : "UserInfo";
            Message res = c.sendRaw(request(service, method, codec, Frames.hex(hex))).join();
            assertTrue(res.isError(), what);
            assertEquals(codec, res.serializeType(), "the error reply keeps the request's SerializeType");
            assertFalse(res.errorMessage().isBlank());
            stillServes(c);
        }
    }

    @Test
    void errorReplyCarriesTheCodecsZeroReply() {
        try (Client c = Client.connect(address, RAW)) {
            Message res = c.sendRaw(request("Arith", "Mul", 2, Frames.hex("0f"))).join();
            assertTrue(res.errorMessage().startsWith("cannot decode rpcx.examples.memberproto.pb.ProtoArgs"), res.errorMessage());
            assertEquals(0, res.payloadLength(), "Go sends its zero ProtoReply, which protobuf encodes as no bytes");
        }
    }

    @Test
    void unknownCodecGetsAnErrorReplyNamingWhatToAdd() {
        try (Client c = Client.connect(address, RAW)) {
            Message res = c.sendRaw(request("ServiceUser", "UserInfo", 9, new byte[] {1})).join();
            assertTrue(res.isError());
            assertEquals("can not find codec for 9: add a module that provides SerializeType 9 to the server's module"
                    + " path, or give the codec with ServerOptions.withCodec(9, codec)", res.errorMessage());
            stillServes(c);
        }
    }

    @ParameterizedTest(name = "codec {0}")
    @ValueSource(ints = {SerializeType.JSON, SerializeType.MSGPACK})
    void replyComesInTheRequestsSerializeType(int codec) {
        try (Client c = Client.connect(address, ClientOptions.defaults())) { // msgpack by default
            Reply r = c.call("ServiceUser", "UserInfo", new Args(999), Reply.class, CallOptions.NONE.withSerializeType(codec));
            assertEquals("Joke", r.user().userName());
            byte[] payload = rpcx.api.internal.CodecSet.load().require(codec).encode(new Args(5));
            Message res = c.sendRaw(request("ServiceUser", "UserInfo", codec, payload)).join();
            assertFalse(res.isError(), res::errorMessage);
            assertEquals(codec, res.serializeType());
            assertEquals(5, ((Reply) rpcx.api.internal.CodecSet.load().decode(codec, res.payload(), Reply.class)).user().uid());
        }
    }

    @Test
    void perClientAndPerCallCodecChoice() {
        try (Client proto = Client.connect(address, ClientOptions.defaults().withSerializeType(SerializeType.PROTOBUF))) {
            ProtoReply r = proto.call("Arith", "Mul", ProtoArgs.newBuilder().setA(6).setB(7).build(), ProtoReply.class);
            assertEquals(42, r.getC());
            ProtoReply zero = proto.call("Arith", "Mul", ProtoArgs.newBuilder().setA(0).setB(7).build(), ProtoReply.class);
            assertEquals(ProtoReply.getDefaultInstance(), zero, "C=0 travels as no bytes and comes back as the default message");
            ThriftReply t = proto.call("ThriftArith", "Mul", new ThriftArgs(6, 8), ThriftReply.class,
                    CallOptions.NONE.withSerializeType(SerializeType.THRIFT));
            assertEquals(48, t.getC());
            Reply u = proto.call("ServiceUser", "UserInfo", new Args(3), Reply.class, CallOptions.NONE.withSerializeType(SerializeType.JSON));
            assertEquals(3, u.user().uid());
        }
    }

    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void gzipBombGetsAnErrorReplyAndTheServerGoesOn() throws Exception {
        byte[] bomb = gzip(new byte[256 << 20]); // 256 MiB of zeros in about 250 KiB, against a 1 MiB limit
        assertTrue(bomb.length < MAX);
        try (Client c = Client.connect(address, RAW)) {
            Message res = c.sendRaw(request("ServiceUser", "UserInfo", SerializeType.MSGPACK, bomb)
                    .withCompressType(CompressType.GZIP)).join();
            assertTrue(res.isError());
            assertTrue(res.errorMessage().contains("inflated gzip payload"), res.errorMessage());
            Message junk = c.sendRaw(request("ServiceUser", "UserInfo", SerializeType.MSGPACK, new byte[] {1, 2, 3})
                    .withCompressType(CompressType.GZIP)).join();
            assertTrue(junk.errorMessage().contains("not valid gzip"), junk.errorMessage());
            stillServes(c);
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @CsvSource({"1024, 0", "1025, 1"})
    void gzipOnlyAbove1024BytesInBothDirections(int size, int expectedCompressType) throws Exception {
        try (Client c = Client.connect(address, RAW.withCompressType(CompressType.GZIP))) {
            var r = c.invoke("Wire", "Shape", new byte[size], byte[].class, CallOptions.NONE);
            assertEquals(Integer.toString(expectedCompressType), r.metadata().get("compress"), "request direction");
            assertEquals(size, ((byte[]) r.value()).length);
            Message res = c.sendRaw(request("Wire", "Shape", SerializeType.NONE, gzip(new byte[size]))
                    .withCompressType(CompressType.GZIP)).join();
            assertEquals(expectedCompressType, res.compressType(), "reply direction: the request's type, only above 1024");
        }
    }

    /** A codec given in code: UTF-8 text, for {@code String} args and replies. */
    static final class TextCodec implements Codec {
        @Override
        public byte[] encode(Object value) {
            if (value instanceof String s) {
                return s.getBytes(StandardCharsets.UTF_8);
            }
            throw new CodecException("text codec carries String only");
        }

        @Override
        public Object decode(byte[] data, Type type) {
            if (type != String.class) {
                throw new CodecException("text codec decodes into String only");
            }
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** {@code Echo.Upper}: the text in upper case. */
    public static final class Echo {
        /** The argument in upper case. */
        public String upper(String s) {
            return s.toUpperCase(java.util.Locale.ROOT);
        }
    }

    @Test
    void codecsGivenInCodeWorkOnBothSides() {
        TextCodec text = new TextCodec();
        try (Server s = Server.create(ServerOptions.defaults().withCodec(7, text))) {
            s.register(new Echo());
            String a = s.listen("tcp", "127.0.0.1:0");
            try (Client c = Client.connect(a, ClientOptions.defaults().withCodec(7, text).withSerializeType(7))) {
                assertEquals("HELLO", c.call("Echo", "Upper", "hello", String.class));
            }
            RpcConfigurationException missing = assertThrows(RpcConfigurationException.class, () -> {
                try (Client c = Client.connect(a, ClientOptions.defaults().withSerializeType(7))) {
                    c.call("Echo", "Upper", "hello", String.class);
                }
            });
            assertTrue(missing.getMessage().startsWith("no codec for SerializeType 7"), missing.getMessage());
        }
        try (Client c = Client.connect(address, RAW)) {
            Message res = c.sendRaw(request("ServiceUser", "UserInfo", 7, "x".getBytes(StandardCharsets.UTF_8))).join();
            assertTrue(res.errorMessage().startsWith("can not find codec for 7"), "a server without it answers with an error");
        }
    }

    @Test
    void aCodecGivenInCodeReplacesTheModulesOneForThatId() {
        Codec json = rpcx.api.internal.CodecSet.load().require(SerializeType.JSON);
        java.util.concurrent.atomic.AtomicInteger encoded = new java.util.concurrent.atomic.AtomicInteger();
        Codec countingJson = new Codec() { // the module's JSON codec, counting its replies: proves this one is used
            @Override
            public byte[] encode(Object value) {
                encoded.incrementAndGet();
                return json.encode(value);
            }

            @Override
            public Object decode(byte[] data, Type type) {
                return json.decode(data, type);
            }
        };
        try (Server s = MemberServer.configure(Server.create(ServerOptions.defaults().withCodec(SerializeType.JSON, countingJson)))) {
            String a = s.listen("tcp", "127.0.0.1:0");
            try (Client c = Client.connect(a, ClientOptions.defaults().withSerializeType(SerializeType.JSON))) {
                assertEquals(999, c.call("ServiceUser", "UserInfo", new Args(999), Reply.class).user().uid());
            }
        }
        assertEquals(1, encoded.get(), "the server encoded its reply with the codec given in code");
    }
}
