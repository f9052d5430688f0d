package rpcx.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import rpcx.api.ClientOptions;
import rpcx.api.Codecs;
import rpcx.api.FailMode;
import rpcx.api.MultipleServersDiscovery;
import rpcx.api.SelectMode;
import rpcx.api.Server;
import rpcx.api.ServerNode;
import rpcx.api.protocol.SerializeType;
import rpcx.examples.member.cmd.MemberServer;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.Reply;

/** The standalone gateway in front of two real member servers over TCP, called with java.net.http. */
class GatewayTest {
    private static Server a;
    private static Server b;
    private static Gateway gateway;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        a = MemberServer.configure(Server.create());
        b = MemberServer.configure(Server.create());
        String addrA = a.listen("tcp", "127.0.0.1:0");
        String addrB = b.listen("tcp", "127.0.0.1:0");
        gateway = Gateway.start(new InetSocketAddress("127.0.0.1", 0),
                new MultipleServersDiscovery(List.of(new ServerNode(addrA, ""), new ServerNode(addrB, ""))),
                FailMode.FAILOVER, SelectMode.ROUND_ROBIN, ClientOptions.defaults());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        a.close();
        b.close();
    }

    private static HttpResponse<byte[]> post(byte[] body, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.address().getPort() + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theTutorialsHttpRequestGoesThroughTheGateway() throws Exception {
        for (int codec : new int[] {SerializeType.MSGPACK, SerializeType.JSON}) {
            byte[] body = Codecs.lookup(codec).encode(new Args(999));
            HttpResponse<byte[]> res = post(body, "X-RPCX-MessageID", "10000", "X-RPCX-MesssageType", "0",
                    "X-RPCX-SerializeType", Integer.toString(codec), "X-RPCX-ServicePath", "ServiceUser",
                    "X-RPCX-ServiceMethod", "UserInfo");
            assertEquals(200, res.statusCode());
            Reply reply = (Reply) Codecs.lookup(codec).decode(res.body(), Reply.class);
            assertEquals("{999 14990093 2 http://image.xxxx.xxx/t.gif Joke}", reply.user().toString());
            assertEquals("10000", res.headers().firstValue("X-RPCX-MessageID").orElseThrow());
            assertEquals(Integer.toString(codec), res.headers().firstValue("X-RPCX-SerializeType").orElseThrow());
        }
    }

    @Test
    void msgpackBytesOfTheSpecExample() throws Exception {
        // protocol.md 8.1's example body for Arith.Mul is {A:10,B:20}; UserInfo's {Uid:999} is 81 a3 556964 cd 03e7
        HttpResponse<byte[]> res = post(HexFormat.of().parseHex("81a3556964cd03e7"), "X-RPCX-SerializeType", "3",
                "X-RPCX-ServicePath", "ServiceUser", "X-RPCX-ServiceMethod", "UserInfo");
        assertEquals(200, res.statusCode());
        assertEquals(999, ((Reply) Codecs.lookup(3).decode(res.body(), Reply.class)).user().uid());
    }

    @Test
    void errorsComeBackInHeadersWithStatus200() throws Exception {
        HttpResponse<byte[]> unknown = post(new byte[] {(byte) 0x80}, "X-RPCX-SerializeType", "3",
                "X-RPCX-ServicePath", "NoSuch", "X-RPCX-ServiceMethod", "X");
        assertEquals(200, unknown.statusCode());
        assertEquals("Error", unknown.headers().firstValue("X-RPCX-MessageStatusType").orElseThrow());
        assertEquals("rpcx: can't find service NoSuch", unknown.headers().firstValue("X-RPCX-ErrorMessage").orElseThrow());
        assertArrayEquals(new byte[0], unknown.body());
        HttpResponse<byte[]> missing = post(new byte[0], "X-RPCX-SerializeType", "3", "X-RPCX-ServicePath", "ServiceUser");
        assertEquals(200, missing.statusCode());
        assertTrue(missing.headers().firstValue("X-RPCX-ErrorMessage").orElseThrow().contains("ServiceMethod"),
                missing.headers().map().toString());
    }

    @Test
    void noReachableServerIs502() throws Exception {
        try (Gateway nowhere = Gateway.start(new InetSocketAddress("127.0.0.1", 0),
                new MultipleServersDiscovery(List.of(new ServerNode("tcp@127.0.0.1:1", ""))), FailMode.FAILFAST,
                SelectMode.RANDOM_SELECT, ClientOptions.defaults())) {
            HttpResponse<byte[]> res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nowhere.address().getPort() + "/"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0x80}))
                    .header("X-RPCX-SerializeType", "3").header("X-RPCX-ServicePath", "ServiceUser")
                    .header("X-RPCX-ServiceMethod", "UserInfo").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(502, res.statusCode());
            assertTrue(res.headers().firstValue("X-RPCX-ErrorMessage").isPresent());
        }
    }
}
