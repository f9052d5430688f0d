package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.Peer2PeerDiscovery;
import rpcx.api.SelectMode;
import rpcx.api.Server;
import rpcx.api.ServerOptions;
import rpcx.api.UnauthenticatedException;
import rpcx.api.XClient;
import rpcx.api.protocol.HttpGateway;
import rpcx.api.protocol.SerializeType;
import rpcx.transport.tcp.HttpTests.Arith;
import rpcx.transport.tcp.HttpTests.RawHttp;
import rpcx.transport.tcp.HttpTests.Response;

/**
 * The HTTP gateway and JSON-RPC 2.0 served by an {@link Server} on its rpcx port (real sockets on 127.0.0.1), called
 * with {@code java.net.http}, with curl and with hand-written bytes, while binary rpcx clients use the same port.
 */
public class HttpGatewayServerTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] MSGPACK_ARGS = HEX.parseHex("82a1410aa14214");   // {A:10, B:20}
    private static final byte[] MSGPACK_REPLY = HEX.parseHex("81a143ccc8");      // {C:200}

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Server server;
    private Arith arith;
    private int port;
    private String address;

    private void start(ServerOptions options) {
        server = Server.create(options);
        arith = new Arith();
        server.register(arith);
        address = server.listen("tcp", "127.0.0.1:0");
        port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private void start() {
        start(ServerOptions.defaults());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpRequest.Builder post(String path, byte[] body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A binary rpcx call on the same port. */
    private void assertRpcxWorks() {
        try (XClient client = XClient.create("Arith", FailMode.FAILFAST, SelectMode.RANDOM_SELECT,
                new Peer2PeerDiscovery(address, ""), ClientOptions.defaults())) {
            assertEquals(new Arith.Reply(200), client.call("Mul", new Arith.Args(10, 20), Arith.Reply.class));
        }
    }

    @Test
    void tutorialGatewayRequestWithJavaNetHttp() throws Exception {
        start();
        HttpResponse<byte[]> res = send(post("/", MSGPACK_ARGS)
                .header("X-RPCX-MessageID", "10000")
                .header("X-RPCX-MesssageType", "0") // the tutorial's (Go client's) misspelling
                .header("X-RPCX-SerializeType", "3")
                .header("X-RPCX-ServicePath", "Arith")
                .header("X-RPCX-ServiceMethod", "Mul")
                .build());
        assertEquals(200, res.statusCode());
        assertArrayEquals(MSGPACK_REPLY, res.body());
        assertEquals("10000", res.headers().firstValue("X-RPCX-MessageID").orElseThrow());
        assertEquals("Arith", res.headers().firstValue("X-RPCX-ServicePath").orElseThrow());
        assertEquals("Mul", res.headers().firstValue("X-RPCX-ServiceMethod").orElseThrow());
        assertEquals("3", res.headers().firstValue("X-RPCX-SerializeType").orElseThrow());
        assertTrue(res.headers().firstValue("X-RPCX-MessageStatusType").isEmpty(), "no status header on success, as Go");

        // the correct spelling, the service path from the URL, metadata both ways, a second request on the connection
        HttpResponse<byte[]> second = send(post("/Arith", MSGPACK_ARGS)
                .header("X-RPCX-MessageType", "0")
                .header("X-RPCX-SerializeType", "3")
                .header("X-RPCX-ServiceMethod", "Mul")
                .header("X-RPCX-Meta", "echo=hello+world")
                .header("Authorization", "Bearer abc")
                .build());
        assertEquals(200, second.statusCode());
        assertArrayEquals(MSGPACK_REPLY, second.body());
        assertEquals("auth=Bearer+abc&echo=hello+world", second.headers().firstValue("X-RPCX-Meta").orElseThrow());
        assertRpcxWorks();
    }

    @Test
    void tutorialGatewayRequestWithCurlAndJson() throws Exception {
        Assumptions.assumeTrue(HttpTests.curlAvailable(), "no curl binary at /usr/bin/curl: the curl variant is skipped");
        start();
        Response res = HttpTests.curl("-X", "POST", "http://127.0.0.1:" + port + "/",
                "-H", "X-RPCX-MessageID: 10000", "-H", "X-RPCX-MesssageType: 0", "-H", "X-RPCX-SerializeType: 1",
                "-H", "X-RPCX-ServicePath: Arith", "-H", "X-RPCX-ServiceMethod: Mul",
                "--data-binary", "{\"A\":10,\"B\":20}");
        assertEquals(200, res.status());
        assertEquals("{\"C\":200}", res.text());
        assertEquals("10000", res.header("X-RPCX-MessageID"));
        assertEquals("1", res.header("X-RPCX-SerializeType"));

        Response msgpack = HttpTests.curl("http://127.0.0.1:" + port + "/Arith", "-H", "X-RPCX-SerializeType: 3",
                "-H", "X-RPCX-ServiceMethod: Mul", "-H", "Content-Type: application/octet-stream",
                "--data-binary", "@" + writeTemp(MSGPACK_ARGS));
        assertArrayEquals(MSGPACK_REPLY, msgpack.body());
    }

    private static String writeTemp(byte[] bytes) throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("rpcx-body", ".bin");
        f.toFile().deleteOnExit();
        java.nio.file.Files.write(f, bytes);
        return f.toString();
    }

    @Test
    void errorsAreGoStatuses() throws Exception {
        start();
        HttpResponse<byte[]> unknown = send(post("/", MSGPACK_ARGS).header("X-RPCX-SerializeType", "3")
                .header("X-RPCX-ServicePath", "Nope").header("X-RPCX-ServiceMethod", "Mul").build());
        assertEquals(500, unknown.statusCode());
        assertEquals("Error", unknown.headers().firstValue("X-RPCX-MessageStatusType").orElseThrow());
        assertTrue(unknown.headers().firstValue("X-RPCX-ErrorMessage").orElseThrow().contains("can't find service Nope"));
        assertEquals(0, unknown.body().length);

        HttpResponse<byte[]> div = send(post("/Arith", HEX.parseHex("82a1410aa14200")).header("X-RPCX-SerializeType", "3")
                .header("X-RPCX-ServiceMethod", "Div").build());
        assertEquals(500, div.statusCode());
        assertEquals("divide by zero", div.headers().firstValue("X-RPCX-ErrorMessage").orElseThrow());

        HttpResponse<byte[]> noMethod = send(post("/", MSGPACK_ARGS).header("X-RPCX-MessageID", "12")
                .header("X-RPCX-SerializeType", "3").header("X-RPCX-ServicePath", "Arith").header("X-RPCX-Custom", "c").build());
        assertEquals(200, noMethod.statusCode(), "Go answers bad headers with 200");
        assertEquals("Error", noMethod.headers().firstValue("X-RPCX-MessageStatusType").orElseThrow());
        assertEquals("empty servicemethod", noMethod.headers().firstValue("X-RPCX-ErrorMessage").orElseThrow());
        assertEquals("12", noMethod.headers().firstValue("X-RPCX-MessageID").orElseThrow());
        assertEquals("c", noMethod.headers().firstValue("X-RPCX-Custom").orElseThrow());
        assertEquals(0, noMethod.body().length);

        HttpResponse<byte[]> badId = send(post("/Arith", MSGPACK_ARGS).header("X-RPCX-MessageID", "ten")
                .header("X-RPCX-SerializeType", "3").header("X-RPCX-ServiceMethod", "Mul").build());
        assertEquals(200, badId.statusCode());
        assertEquals("strconv.ParseUint: parsing \"ten\": invalid syntax",
                badId.headers().firstValue("X-RPCX-ErrorMessage").orElseThrow());

        HttpResponse<byte[]> delete = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/Arith"))
                .DELETE().build());
        assertEquals(405, delete.statusCode());
        assertEquals("GET, OPTIONS, POST, PUT", delete.headers().firstValue("Allow").orElseThrow());
        assertRpcxWorks();
    }

    @Test
    void onewayIsAnsweredAtOnceAndHeartbeatIsEchoed() throws Exception {
        start();
        HttpResponse<byte[]> oneway = send(post("/Arith", MSGPACK_ARGS).header("X-RPCX-SerializeType", "3")
                .header("X-RPCX-ServiceMethod", "Record").header("X-RPCX-Oneway", "true").build());
        assertEquals(200, oneway.statusCode());
        assertEquals(0, oneway.body().length);
        assertEquals(new Arith.Args(10, 20), arith.recorded.poll(10, TimeUnit.SECONDS));

        HttpResponse<byte[]> heartbeat = send(post("/Arith", "ping".getBytes(StandardCharsets.UTF_8))
                .header("X-RPCX-SerializeType", "0").header("X-RPCX-ServiceMethod", "Mul").header("X-RPCX-Heartbeat", "1")
                .build());
        assertEquals(200, heartbeat.statusCode());
        assertEquals("ping", new String(heartbeat.body(), StandardCharsets.UTF_8));
    }

    @Test
    void keepAliveAndPipelinedRequestsAreAnsweredInOrder() throws Exception {
        start();
        String one = "POST /Arith HTTP/1.1\r\nHost: x\r\nX-RPCX-MessageID: 1\r\nX-RPCX-SerializeType: 1\r\n"
                + "X-RPCX-ServiceMethod: Mul\r\nContent-Length: 15\r\n\r\n{\"A\":10,\"B\":20}";
        String two = "POST /Arith HTTP/1.1\r\nHost: x\r\nX-RPCX-MessageID: 2\r\nX-RPCX-SerializeType: 1\r\n"
                + "X-RPCX-ServiceMethod: Mul\r\nContent-Length: 14\r\n\r\n{\"A\":3,\"B\":20}";
        try (RawHttp raw = new RawHttp(port)) {
            raw.send(one + two);
            Response r1 = raw.read();
            Response r2 = raw.read();
            assertEquals("1", r1.header("X-RPCX-MessageID"));
            assertEquals("{\"C\":200}", r1.text());
            assertEquals("2", r2.header("X-RPCX-MessageID"));
            assertEquals("{\"C\":60}", r2.text());
            raw.send(one.replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n"));
            Response r3 = raw.read();
            assertEquals("close", r3.header("Connection"));
            assertTrue(raw.closedByPeer());
        }
    }

    @Test
    void jsonRpcCallNotificationErrorsWithJavaNetHttp() throws Exception {
        start();
        HttpResponse<byte[]> call = send(post("/", "{\"jsonrpc\":\"2.0\",\"method\":\"Arith.Mul\",\"params\":{\"A\":10,\"B\":20},\"id\":3}"
                .getBytes(StandardCharsets.UTF_8)).header("X-JSONRPC-2.0", "true").build());
        assertEquals(200, call.statusCode());
        assertEquals("{\"jsonrpc\":\"2.0\",\"result\":{\"C\":200},\"id\":3}", new String(call.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", call.headers().firstValue("Content-Type").orElseThrow());

        HttpResponse<byte[]> notification = send(post("/any/path", "{\"jsonrpc\":\"2.0\",\"method\":\"Arith.Record\",\"params\":{\"A\":1,\"B\":2}}"
                .getBytes(StandardCharsets.UTF_8)).header("X-JSONRPC-2.0", "true").build());
        assertEquals(200, notification.statusCode());
        assertEquals(0, notification.body().length);
        assertEquals(new Arith.Args(1, 2), arith.recorded.poll(10, TimeUnit.SECONDS));

        HttpResponse<byte[]> error = send(post("/", "{\"jsonrpc\":\"2.0\",\"method\":\"Arith.Div\",\"params\":{\"A\":1,\"B\":0},\"id\":\"x-7\"}"
                .getBytes(StandardCharsets.UTF_8)).header("X-JSONRPC-2.0", "true").build());
        assertEquals(200, error.statusCode());
        assertEquals("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32603,\"message\":\"divide by zero\",\"data\":null},\"id\":\"x-7\"}",
                new String(error.body(), StandardCharsets.UTF_8));

        HttpResponse<byte[]> parse = send(post("/", "{\"jsonrpc\":\"2.0\",".getBytes(StandardCharsets.UTF_8))
                .header("X-JSONRPC-2.0", "true").build());
        assertTrue(new String(parse.body(), StandardCharsets.UTF_8).startsWith("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,"));

        HttpResponse<byte[]> noDot = send(post("/", "{\"jsonrpc\":\"2.0\",\"method\":\"Mul\",\"params\":{},\"id\":1}"
                .getBytes(StandardCharsets.UTF_8)).header("X-JSONRPC-2.0", "true").build());
        assertEquals("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"must contains servicepath and method\","
                + "\"data\":null},\"id\":1}", new String(noDot.body(), StandardCharsets.UTF_8));

        HttpResponse<byte[]> batch = send(post("/", "[{\"jsonrpc\":\"2.0\",\"method\":\"Arith.Mul\",\"params\":{},\"id\":1}]"
                .getBytes(StandardCharsets.UTF_8)).header("X-JSONRPC-2.0", "true").build());
        assertTrue(new String(batch.body(), StandardCharsets.UTF_8).contains("\"code\":-32600"));

        HttpResponse<byte[]> meta = send(post("/", "{\"jsonrpc\":\"2.0\",\"method\":\"Arith.Mul\",\"params\":{\"A\":2,\"B\":3},\"id\":4}"
                .getBytes(StandardCharsets.UTF_8)).header("X-JSONRPC-2.0", "true").header("X-RPCX-Meta", "echo=1")
                .header("Authorization", "t").build());
        assertEquals("{\"jsonrpc\":\"2.0\",\"result\":{\"C\":6},\"id\":4}", new String(meta.body(), StandardCharsets.UTF_8));
        assertRpcxWorks();
    }

    @Test
    void jsonRpcCurlLineOfTheDocs() throws Exception {
        Assumptions.assumeTrue(HttpTests.curlAvailable(), "no curl binary at /usr/bin/curl: the curl variant is skipped");
        start();
        Response res = HttpTests.curl("--header", "X-JSONRPC-2.0: true", "http://127.0.0.1:" + port + "/",
                "-d", "{\"jsonrpc\":\"2.0\",\"method\":\"Arith.Mul\",\"params\":{\"A\":10,\"B\":20},\"id\":3}");
        assertEquals(200, res.status());
        assertEquals("{\"jsonrpc\":\"2.0\",\"result\":{\"C\":200},\"id\":3}", res.text());
    }

    @Test
    void malformedAndOversizedHttpIsRefusedWhileRpcxKeepsWorking() throws Exception {
        start(ServerOptions.defaults().withMaxMessageLength(64 * 1024));
        try (RawHttp raw = new RawHttp(port)) {
            Response r = raw.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n").read();
            assertEquals(400, r.status());
            assertEquals("close", r.header("Connection"));
            assertTrue(raw.closedByPeer());
        }
        try (RawHttp raw = new RawHttp(port)) {
            Response r = raw.send("GET / HTTP/1.1 trailing\r\n\r\n").read();
            assertEquals(400, r.status());
            assertTrue(raw.closedByPeer());
        }
        try (RawHttp raw = new RawHttp(port)) {
            Response r = raw.send("POST / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n").read();
            assertEquals(431, r.status(), "oversized headers: 431, as Go");
            assertTrue(raw.closedByPeer());
        }
        try (RawHttp raw = new RawHttp(port)) {
            Response r = raw.send("POST /" + "p".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(431, r.status());
            assertTrue(raw.closedByPeer());
        }
        try (RawHttp raw = new RawHttp(port)) {
            Response r = raw.send("POST /Arith HTTP/1.1\r\nHost: x\r\nX-RPCX-SerializeType: 0\r\nX-RPCX-ServiceMethod: Mul\r\n"
                    + "Content-Length: 70000\r\n\r\n").read();
            assertEquals(413, r.status());
            assertTrue(raw.closedByPeer());
        }
        try (RawHttp raw = new RawHttp(port)) {
            raw.send("POST /Arith HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = Integer.toHexString(40000) + "\r\n" + "b".repeat(40000) + "\r\n";
            raw.send(chunk);
            raw.send(chunk);
            Response r = raw.read();
            assertEquals(413, r.status());
            assertTrue(raw.closedByPeer());
        }
        try (RawHttp raw = new RawHttp(port)) {
            Response r = raw.send("POST /Arith HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 70000\r\n\r\n").read();
            assertEquals(413, r.status(), "a body announced too large gets 413 instead of 100 Continue");
            assertTrue(raw.closedByPeer());
        }
        HttpResponse<byte[]> big = send(post("/Arith", new byte[70_000]).header("X-RPCX-SerializeType", "0")
                .header("X-RPCX-ServiceMethod", "Mul").build());
        assertEquals(413, big.statusCode());
        assertRpcxWorks();
        // and the HTTP side still serves well-formed requests
        HttpResponse<byte[]> ok = send(post("/Arith", MSGPACK_ARGS).header("X-RPCX-SerializeType", "3")
                .header("X-RPCX-ServiceMethod", "Mul").build());
        assertArrayEquals(MSGPACK_REPLY, ok.body());
    }

    @Test
    void slowRequestGets408() throws Exception {
        start(ServerOptions.defaults().withFrameTimeout(Duration.ofMillis(300)));
        try (RawHttp raw = new RawHttp(port)) {
            raw.send("POST /Arith HTTP/1.1\r\nHost: x\r\n");
            Response r = raw.read();
            assertEquals(408, r.status());
            assertTrue(raw.closedByPeer());
        }
        try (RawHttp raw = new RawHttp(port)) {
            raw.send("PO"); // not even a whole method
            assertTrue(raw.closedByPeer());
        }
        assertRpcxWorks();
    }

    @Test
    void switchedOffProtocolsCloseTheConnection() throws Exception {
        start(ServerOptions.defaults().withHttpGateway(false).withJsonRpc(false));
        try (RawHttp raw = new RawHttp(port)) {
            raw.send("POST /Arith HTTP/1.1\r\nHost: x\r\nX-RPCX-SerializeType: 3\r\nX-RPCX-ServiceMethod: Mul\r\n"
                    + "Content-Length: 0\r\n\r\n");
            assertTrue(raw.closedByPeer(), "no HTTP at all: closed without an answer");
        }
        assertRpcxWorks();
        server.close();

        start(ServerOptions.defaults().withHttpGateway(false));
        HttpResponse<byte[]> call = send(post("/", "{\"jsonrpc\":\"2.0\",\"method\":\"Arith.Mul\",\"params\":{\"A\":10,\"B\":20},\"id\":3}"
                .getBytes(StandardCharsets.UTF_8)).header("X-JSONRPC-2.0", "true").build());
        assertEquals("{\"jsonrpc\":\"2.0\",\"result\":{\"C\":200},\"id\":3}", new String(call.body(), StandardCharsets.UTF_8));
        try (RawHttp raw = new RawHttp(port)) {
            raw.send("POST /Arith HTTP/1.1\r\nHost: x\r\nX-RPCX-SerializeType: 3\r\nX-RPCX-ServiceMethod: Mul\r\n"
                    + "Content-Length: 0\r\n\r\n");
            assertTrue(raw.closedByPeer(), "gateway off: a gateway request is closed without an answer");
        }
        server.close();

        start(ServerOptions.defaults().withJsonRpc(false));
        HttpResponse<byte[]> asGateway = send(post("/", "{}".getBytes(StandardCharsets.UTF_8)).header("X-JSONRPC-2.0", "true")
                .build());
        assertEquals(200, asGateway.statusCode());
        assertEquals("empty servicepath", asGateway.headers().firstValue("X-RPCX-ErrorMessage").orElseThrow(),
                "JSON-RPC off: the request is a gateway request, as in Go");
    }

    @Test
    void corsPreflightAndActualRequest() throws Exception {
        start(ServerOptions.defaults().withCors(HttpGateway.Cors.allowAll().withExposedHeaders(List.of("X-RPCX-ErrorMessage"))));
        try (RawHttp raw = new RawHttp(port)) {
            Response pre = raw.send("OPTIONS /Arith HTTP/1.1\r\nHost: x\r\nOrigin: http://app.test\r\n"
                    + "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: X-RPCX-SerializeType\r\n\r\n").read();
            assertEquals(204, pre.status());
            assertEquals("*", pre.header("Access-Control-Allow-Origin"));
            assertEquals("POST", pre.header("Access-Control-Allow-Methods"));
            assertEquals("X-RPCX-SerializeType", pre.header("Access-Control-Allow-Headers"));
        }
        HttpResponse<byte[]> actual = send(post("/Arith", MSGPACK_ARGS).header("Origin", "http://app.test")
                .header("X-RPCX-SerializeType", "3").header("X-RPCX-ServiceMethod", "Mul").build());
        assertArrayEquals(MSGPACK_REPLY, actual.body());
        assertEquals("*", actual.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertEquals("X-RPCX-ErrorMessage", actual.headers().firstValue("Access-Control-Expose-Headers").orElseThrow());
        server.close();

        start(); // CORS off, as Go without SetCORS: a preflight is an OPTIONS request to the router
        try (RawHttp raw = new RawHttp(port)) {
            Response pre = raw.send("OPTIONS /Arith HTTP/1.1\r\nHost: x\r\nOrigin: http://app.test\r\n"
                    + "Access-Control-Request-Method: POST\r\n\r\n").read();
            assertEquals(200, pre.status());
            assertEquals("GET, OPTIONS, POST, PUT", pre.header("Allow"));
            assertNull(pre.header("Access-Control-Allow-Origin"));
        }
    }

    @Test
    void corsWithAnOriginFunction() throws Exception {
        start(ServerOptions.defaults().withCors(new HttpGateway.Cors(List.of(), List.of("POST"), List.of("*"), Duration.ZERO)
                .withAllowOriginFunc(origin -> origin.endsWith(".trusted.test"))));
        try (RawHttp raw = new RawHttp(port)) {
            Response allowed = raw.send("OPTIONS /Arith HTTP/1.1\r\nHost: x\r\nOrigin: https://app.trusted.test\r\n"
                    + "Access-Control-Request-Method: POST\r\n\r\n").read();
            assertEquals(204, allowed.status());
            assertEquals("https://app.trusted.test", allowed.header("Access-Control-Allow-Origin"));
        }
        try (RawHttp raw = new RawHttp(port)) {
            Response refused = raw.send("OPTIONS /Arith HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.test\r\n"
                    + "Access-Control-Request-Method: POST\r\n\r\n").read();
            assertEquals(204, refused.status());
            assertNull(refused.header("Access-Control-Allow-Origin"));
        }
        HttpResponse<byte[]> actual = send(post("/Arith", MSGPACK_ARGS).header("Origin", "https://app.trusted.test")
                .header("X-RPCX-SerializeType", "3").header("X-RPCX-ServiceMethod", "Mul").build());
        assertArrayEquals(MSGPACK_REPLY, actual.body());
        assertEquals("https://app.trusted.test", actual.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    }

    @Test
    void authFailureIs401() throws Exception {
        start();
        server.authFunction((ctx, req, token) -> {
            if (!"Bearer good".equals(token)) {
                throw new UnauthenticatedException("invalid token");
            }
        });
        HttpResponse<byte[]> ok = send(post("/Arith", MSGPACK_ARGS).header("X-RPCX-SerializeType", "3")
                .header("X-RPCX-ServiceMethod", "Mul").header("Authorization", "Bearer good").build());
        assertEquals(200, ok.statusCode());
        assertArrayEquals(MSGPACK_REPLY, ok.body());

        HttpResponse<byte[]> refused = send(post("/Arith", MSGPACK_ARGS).header("X-RPCX-SerializeType", "3")
                .header("X-RPCX-ServiceMethod", "Mul").header("Authorization", "Bearer bad").build());
        assertEquals(401, refused.statusCode());
        assertEquals("Error", refused.headers().firstValue("X-RPCX-MessageStatusType").orElseThrow());
        assertNotNull(refused.headers().firstValue("X-RPCX-ErrorMessage").orElse(null));

        HttpResponse<byte[]> jsonRpc = send(post("/", "{\"jsonrpc\":\"2.0\",\"method\":\"Arith.Mul\",\"params\":{\"A\":1,\"B\":2},\"id\":1}"
                .getBytes(StandardCharsets.UTF_8)).header("X-JSONRPC-2.0", "true").build());
        assertEquals(200, jsonRpc.statusCode());
        assertTrue(new String(jsonRpc.body(), StandardCharsets.UTF_8).contains("\"code\":-32603"));
        assertFalse(new String(jsonRpc.body(), StandardCharsets.UTF_8).contains("result"));
    }

    @Test
    void serializeTypeJsonThroughTheGatewayWithJavaNetHttp() throws Exception {
        start();
        HttpResponse<byte[]> res = send(post("/", "{\"A\":7,\"B\":6}".getBytes(StandardCharsets.UTF_8))
                .header("X-RPCX-SerializeType", String.valueOf(SerializeType.JSON)).header("X-RPCX-ServicePath", "Arith")
                .header("X-RPCX-ServiceMethod", "Mul").build());
        assertEquals("{\"C\":42}", new String(res.body(), StandardCharsets.UTF_8));
    }
}
