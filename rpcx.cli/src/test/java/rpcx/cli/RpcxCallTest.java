package rpcx.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import rpcx.api.Codecs;
import rpcx.api.Server;
import rpcx.api.ServiceException;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Codec;
import rpcx.examples.member.cmd.MemberServer;
import rpcx.testkit.GoldenFrames;

/** {@code rpcx call} against a real member server over TCP: outputs, metadata, auth and every exit code. */
class RpcxCallTest {
    private static Server server;
    private static String address;

    @BeforeAll
    static void start() {
        server = MemberServer.configure(Server.create());
        server.registerFunction("Echo", "Meta", Map.class, (ctx, args) -> {
            Map<String, Object> seen = new TreeMap<>();
            seen.put("args", args);
            seen.put("trace", ctx.requestMetadata("trace"));
            seen.put("auth", ctx.authToken());
            return seen;
        });
        server.registerFunction("Slow", "Sleep", Map.class, (ctx, args) -> {
            Thread.sleep(2_000);
            return args;
        });
        server.registerFunction("Fail", "Always", Map.class, (ctx, args) -> {
            throw new ServiceException("no such user");
        });
        address = server.listen("tcp", "127.0.0.1:0"); // tcp@127.0.0.1:port
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void callsWithMsgpackAndPrintsTheReplyAsJson() {
        Cli.Run r = Cli.rpcx("call", address, "ServiceUser.UserInfo", "{\"Uid\":999}");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"UID\":999,\"AddTime\":14990093,\"UserType\":2,\"Uface\":\"http://image.xxxx.xxx/t.gif\","
                + "\"UserName\":\"Joke\"}\n", r.out());
    }

    /** JSON integers go out as a Go client's {@code int}: compact msgpack, the golden Go frame's payload byte for byte. */
    @Test
    void jsonIntegersAreSentAsGoSendsAnInt() {
        Codec msgpack = Codecs.lookup(SerializeType.MSGPACK);
        byte[] golden = GoldenFrames.find("request  ServiceUser.UserInfo msgpack {Uid:1}").message().payload();
        assertArrayEquals(golden, msgpack.encode(JsonTree.parse("{\"Uid\":1}")));
        assertEquals("81a3556964cd03e7", HexFormat.of().formatHex(msgpack.encode(JsonTree.parse("{\"Uid\":999}"))));
        assertEquals("81a3556964d1fc19", HexFormat.of().formatHex(msgpack.encode(JsonTree.parse("{\"Uid\":-999}"))));
    }

    @Test
    void callsWithJsonAsTyped() {
        Cli.Run r = Cli.rpcx("call", "--codec", "json", address, "ServiceUser.UserInfo", "{\"Uid\":7}");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"id\":7,\"addtime\":14990093,\"utype\":2,\"uface\":\"http://image.xxxx.xxx/t.gif\",\"uname\":\"Joke\"}\n",
                r.out());
    }

    @Test
    void sendsMetadataAndAuth() {
        Cli.Run r = Cli.rpcx("call", address, "Echo.Meta", "{\"n\":[1,2.5,\"x\",true,null]}", "--meta", "trace=abc", "-a", "s3cret");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"args\":{\"n\":[1,2.5,\"x\",true,null]},\"auth\":\"s3cret\",\"trace\":\"abc\"}\n", r.out());
    }

    @Test
    void findsServersThroughARegistry() {
        String hostPort = address.substring("tcp@".length());
        Cli.Run r = Cli.rpcx("call", "--registry", "static://" + hostPort, "ServiceUser.UserInfo", "{\"Uid\":5}");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("{\"UID\":5,"), r.out());
    }

    @Test
    void aServiceErrorExitsOne() {
        Cli.Run r = Cli.rpcx("call", address, "Fail.Always", "{}");
        assertEquals(Rpcx.SERVICE_ERROR, r.code());
        assertTrue(r.err().contains("no such user"), r.err());
        Cli.Run unknown = Cli.rpcx("call", address, "ServiceUser.NoSuchMethod");
        assertEquals(Rpcx.SERVICE_ERROR, unknown.code());
        assertTrue(unknown.err().contains("NoSuchMethod"), unknown.err());
    }

    @Test
    void anUnreachableServerExitsThree() {
        Cli.Run r = Cli.rpcx("call", "--timeout", "2s", "tcp@127.0.0.1:1", "ServiceUser.UserInfo", "{}");
        assertEquals(Rpcx.UNREACHABLE, r.code(), r.out());
        assertTrue(r.err().startsWith("rpcx: "), r.err());
    }

    @Test
    void aTimeoutExitsFour() {
        Cli.Run r = Cli.rpcx("call", "--timeout", "200ms", address, "Slow.Sleep", "{}");
        assertEquals(Rpcx.TIMEOUT, r.code(), r.err());
    }

    @Test
    void aWrongCommandLineExitsTwoAndSaysWhy() {
        Cli.Run noMethod = Cli.rpcx("call", address);
        assertEquals(Rpcx.USAGE, noMethod.code());
        Cli.Run badJson = Cli.rpcx("call", address, "ServiceUser.UserInfo", "{\"Uid\":");
        assertEquals(Rpcx.USAGE, badJson.code());
        assertTrue(badJson.err().contains("not JSON"), badJson.err());
        Cli.Run badTimeout = Cli.rpcx("call", "-t", "soon", address, "ServiceUser.UserInfo");
        assertEquals(Rpcx.USAGE, badTimeout.code());
        assertTrue(badTimeout.err().contains("Go duration"), badTimeout.err());
        Cli.Run badTarget = Cli.rpcx("call", address, "UserInfo");
        assertEquals(Rpcx.USAGE, badTarget.code());
        assertTrue(badTarget.err().contains("Service.Method"), badTarget.err());
        Cli.Run badCodec = Cli.rpcx("call", "-c", "protobuf", address, "ServiceUser.UserInfo");
        assertEquals(Rpcx.USAGE, badCodec.code());
        Cli.Run nothing = Cli.rpcx();
        assertEquals(Rpcx.USAGE, nothing.code());
    }

    @Test
    void helpDescribesEveryCommandAndExitCodes() {
        Cli.Run top = Cli.rpcx("--help");
        assertEquals(0, top.code());
        assertTrue(top.out().contains("call") && top.out().contains("Exit codes"), top.out());
        Cli.Run call = Cli.rpcx("call", "--help");
        assertEquals(0, call.code());
        for (String option : new String[] {"--codec", "--meta", "--timeout", "--auth", "--registry"}) {
            assertTrue(call.out().contains(option), option + " in\n" + call.out());
        }
    }
}
