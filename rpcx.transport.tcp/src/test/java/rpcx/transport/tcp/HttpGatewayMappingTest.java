package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import rpcx.api.protocol.HttpGateway;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;

/** The pure HTTP gateway mapping of {@link HttpGateway}: headers to rpcx request, response to headers, CORS. */
class HttpGatewayMappingTest {
    private static final byte[] ARGS = HexFormat.of().parseHex("82a1410aa14214");

    private static Map<String, List<String>> headers(String... nameValue) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            h.computeIfAbsent(nameValue[i], k -> new java.util.ArrayList<>()).add(nameValue[i + 1]);
        }
        return h;
    }

    private static Map<String, List<String>> tutorial() {
        return headers("X-RPCX-MessageID", "10000", "X-RPCX-MesssageType", "0", "X-RPCX-SerializeType", "3",
                "X-RPCX-ServicePath", "Arith", "X-RPCX-ServiceMethod", "Mul");
    }

    @Test
    void tutorialRequestBecomesTheRpcxRequest() {
        Message m = HttpGateway.toRequest("POST", "/", tutorial(), ARGS);
        assertEquals(10000, m.seq());
        assertEquals(SerializeType.MSGPACK, m.serializeType());
        assertEquals("Arith", m.servicePath());
        assertEquals("Mul", m.serviceMethod());
        assertArrayEquals(ARGS, m.payload());
        assertFalse(m.isResponse());
        assertFalse(m.isOneway());
        assertFalse(m.isHeartbeat());
        assertEquals(0, m.compressType());
        assertTrue(m.metadata().isEmpty());
    }

    @Test
    void headerNamesAreCaseInsensitiveAndBothMessageTypeSpellingsAreIgnored() {
        Map<String, List<String>> h = headers("x-rpcx-messageid", "7", "X-RPCX-MessageType", "0",
                "X-RPCX-MesssageType", "1", "x-rpcx-serializetype", "1", "X-Rpcx-Servicepath", "Arith",
                "x-rpcx-servicemethod", "Mul");
        Message m = HttpGateway.toRequest("POST", "/", h, new byte[0]);
        assertEquals(7, m.seq());
        assertEquals(SerializeType.JSON, m.serializeType());
        assertFalse(m.isResponse());
    }

    @Test
    void servicePathDefaultsToTheUrlPath() {
        Map<String, List<String>> h = headers("X-RPCX-SerializeType", "3", "X-RPCX-ServiceMethod", "Mul");
        assertEquals("Arith", HttpGateway.toRequest("POST", "/Arith", h, ARGS).servicePath());
        assertEquals("Arith", HttpGateway.servicePath("/Arith", h));
        assertEquals("a/b", HttpGateway.servicePath("/a/b", h));
        assertEquals("Header", HttpGateway.servicePath("/Arith", headers("X-RPCX-ServicePath", "Header")));
    }

    @Test
    void metaAuthorizationHeartbeatOnewayAndSeq() {
        Map<String, List<String>> h = tutorial();
        h.put("X-RPCX-Meta", List.of("a=1&b=x+y&c=%C3%BC&a=2&__AUTH=ignored"));
        h.put("Authorization", List.of("Bearer t0k"));
        h.put("X-RPCX-Heartbeat", List.of("false")); // any non-empty value, as Go
        h.put("X-RPCX-Oneway", List.of("1"));
        h.put("X-RPCX-MessageID", List.of("18446744073709551615"));
        h.put("X-RPCX-CompressType", List.of("1"));
        Message m = HttpGateway.toRequest("POST", "/", h, ARGS);
        assertEquals(Map.of("a", "1", "b", "x y", "c", "ü", Message.AUTH_KEY, "Bearer t0k"), m.metadata());
        assertTrue(m.isHeartbeat());
        assertTrue(m.isOneway());
        assertEquals(-1L, m.seq()); // 2^64-1
        assertEquals(0, m.compressType(), "the body is taken as is, never inflated");
    }

    @Test
    void badHeadersHaveGoMessages() {
        assertBad("empty servicemethod", headers("X-RPCX-SerializeType", "3", "X-RPCX-ServicePath", "Arith"), "/");
        assertBad("empty servicepath", headers("X-RPCX-SerializeType", "3", "X-RPCX-ServiceMethod", "Mul"), "/");
        assertBad("empty serialized type", headers("X-RPCX-ServicePath", "Arith", "X-RPCX-ServiceMethod", "Mul"), "/");
        assertBad("strconv.ParseUint: parsing \"x1\": invalid syntax", with("X-RPCX-MessageID", "x1"), "/");
        assertBad("strconv.ParseUint: parsing \"-1\": invalid syntax", with("X-RPCX-MessageID", "-1"), "/");
        assertBad("strconv.ParseUint: parsing \"18446744073709551616\": value out of range",
                with("X-RPCX-MessageID", "18446744073709551616"), "/");
        assertBad("strconv.Atoi: parsing \"msgpack\": invalid syntax", with("X-RPCX-SerializeType", "msgpack"), "/");
        assertBad("X-RPCX-SerializeType must be 0..15: 16", with("X-RPCX-SerializeType", "16"), "/");
        assertBad("strconv.Atoi: parsing \"gzip\": invalid syntax", with("X-RPCX-CompressType", "gzip"), "/");
        assertBad("invalid URL escape \"%zz\"", with("X-RPCX-Meta", "a=%zz"), "/");
        assertBad("invalid semicolon separator in query", with("X-RPCX-Meta", "a=1;b=2"), "/");
    }

    private static Map<String, List<String>> with(String name, String value) {
        Map<String, List<String>> h = tutorial();
        h.put(name, List.of(value));
        return h;
    }

    private static void assertBad(String message, Map<String, List<String>> h, String path) {
        HttpGateway.BadRequestException e = assertThrows(HttpGateway.BadRequestException.class,
                () -> HttpGateway.toRequest("POST", path, h, ARGS));
        assertEquals(message, e.getMessage());
    }

    @Test
    void successHeadersEchoAndEncodeTheResponseMetadata() {
        Map<String, List<String>> h = tutorial();
        h.put("X-RPCX-Version", List.of("0"));
        Message req = HttpGateway.toRequest("POST", "/", h, ARGS);
        Message res = req.toResponse().withMetadata(Map.of("z", "last", "a b", "ü&=")).withPayload(new byte[] {1});
        Map<String, String> out = HttpGateway.responseHeaders(h, res);
        assertEquals(List.of("X-RPCX-Version", "X-RPCX-MessageID", "X-RPCX-ServicePath", "X-RPCX-ServiceMethod",
                "X-RPCX-SerializeType", "X-RPCX-Meta"), List.copyOf(out.keySet()));
        assertEquals("0", out.get("X-RPCX-Version"));
        assertEquals("10000", out.get("X-RPCX-MessageID"));
        assertEquals("Arith", out.get("X-RPCX-ServicePath"));
        assertEquals("Mul", out.get("X-RPCX-ServiceMethod"));
        assertEquals("3", out.get("X-RPCX-SerializeType"));
        assertEquals("a+b=%C3%BC%26%3D&z=last", out.get("X-RPCX-Meta"));
        assertEquals(200, HttpGateway.status(res, false));
        assertEquals(200, HttpGateway.status(res, true));
    }

    @Test
    void errorHeadersAndStatuses() {
        Message req = HttpGateway.toRequest("POST", "/Arith", headers("X-RPCX-SerializeType", "3", "X-RPCX-ServiceMethod", "Div"), ARGS);
        Message res = req.toResponse().withError(true).withMetadata(Map.of(Message.ERROR_KEY, "divide by zero\r\nX-Evil: 1"));
        Map<String, String> out = HttpGateway.responseHeaders(headers("X-RPCX-SerializeType", "3", "X-RPCX-ServiceMethod", "Div"), res);
        assertEquals("Error", out.get("X-RPCX-MessageStatusType"));
        assertEquals("divide by zero  X-Evil: 1", out.get("X-RPCX-ErrorMessage"), "no header injection");
        assertEquals("Arith", out.get("X-RPCX-ServicePath"));
        assertEquals("", out.get("X-RPCX-MessageID"));
        assertNull(out.get("X-RPCX-Meta"));
        assertEquals(500, HttpGateway.status(res, false));
        assertEquals(401, HttpGateway.status(res, true));
    }

    @Test
    void badRequestHeadersEchoEveryRpcxHeader() {
        Map<String, List<String>> h = headers("X-RPCX-MessageID", "5", "x-rpcx-custom", "c", "X-RPCX-SerializeType", "3",
                "Other", "o", "X-RPCX-ServicePath", "Arith");
        Map<String, String> out = HttpGateway.badRequestHeaders(h, "/", "empty servicemethod");
        assertEquals("5", out.get("X-RPCX-MessageID"));
        assertEquals("c", out.get("x-rpcx-custom"));
        assertEquals("Arith", out.get("X-RPCX-ServicePath"));
        assertEquals("", out.get("X-RPCX-ServiceMethod"));
        assertEquals("Error", out.get("X-RPCX-MessageStatusType"));
        assertEquals("empty servicemethod", out.get("X-RPCX-ErrorMessage"));
        assertFalse(out.containsKey("Other"));
    }

    @Test
    void metaEncodingMatchesGoUrlValuesEncode() {
        assertEquals("", HttpGateway.encodeMeta(Map.of()));
        assertEquals("a=1&b=2", HttpGateway.encodeMeta(Map.of("b", "2", "a", "1")));
        assertEquals("k=-_.~%21%2A%27%28%29+%2F", HttpGateway.encodeMeta(Map.of("k", "-_.~!*'() /")));
        assertEquals(Map.of("k", "-_.~!*'() /"), HttpGateway.parseMeta("k=-_.~%21%2A%27%28%29+%2F"));
        assertEquals(Map.of("a", "", "b", "2"), HttpGateway.parseMeta("a&&b=2&"));
        assertEquals(Map.of("b", "2"), HttpGateway.parseMetaLenient("a=%zz&b=2"));
    }

    @Test
    void corsPreflightAndActualRequests() {
        HttpGateway.Cors cors = new HttpGateway.Cors(List.of("https://*.example.com"), List.of("POST"),
                List.of("X-RPCX-SerializeType", "Content-Type"), Duration.ofMinutes(10))
                .withExposedHeaders(List.of("X-RPCX-ErrorMessage"));
        Map<String, List<String>> pre = headers("Origin", "https://app.example.com", "Access-Control-Request-Method", "post",
                "Access-Control-Request-Headers", "x-rpcx-serializetype, content-type");
        assertTrue(HttpGateway.Cors.isPreflight("OPTIONS", pre));
        assertFalse(HttpGateway.Cors.isPreflight("POST", pre));
        Map<String, String> ok = cors.preflightHeaders(pre);
        assertEquals("https://app.example.com", ok.get("Access-Control-Allow-Origin"));
        assertEquals("POST", ok.get("Access-Control-Allow-Methods"));
        assertEquals("x-rpcx-serializetype, content-type", ok.get("Access-Control-Allow-Headers"));
        assertEquals("600", ok.get("Access-Control-Max-Age"));

        Map<String, List<String>> badOrigin = new LinkedHashMap<>(pre);
        badOrigin.put("Origin", List.of("https://evil.test"));
        assertFalse(cors.preflightHeaders(badOrigin).containsKey("Access-Control-Allow-Origin"));
        Map<String, List<String>> badHeader = new LinkedHashMap<>(pre);
        badHeader.put("Access-Control-Request-Headers", List.of("X-Other"));
        assertFalse(cors.preflightHeaders(badHeader).containsKey("Access-Control-Allow-Origin"));

        Map<String, String> actual = cors.actualHeaders("POST", headers("Origin", "https://app.example.com"));
        assertEquals("https://app.example.com", actual.get("Access-Control-Allow-Origin"));
        assertEquals("X-RPCX-ErrorMessage", actual.get("Access-Control-Expose-Headers"));
        assertFalse(cors.actualHeaders("PUT", headers("Origin", "https://app.example.com")).containsKey("Access-Control-Allow-Origin"));
        assertEquals(Map.of("Vary", "Origin"), cors.actualHeaders("POST", headers()));

        Map<String, String> all = HttpGateway.Cors.allowAll().preflightHeaders(headers("Origin", "http://x",
                "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "X-RPCX-Meta"));
        assertEquals("*", all.get("Access-Control-Allow-Origin"));
        assertEquals("X-RPCX-Meta", all.get("Access-Control-Allow-Headers"));
    }

    /** rs/cors' AllowOriginFunc: the function alone decides, and an allowed origin is echoed back, not {@code *}. */
    @Test
    void corsOriginFunction() {
        HttpGateway.Cors cors = new HttpGateway.Cors(List.of(), List.of("POST"), List.of("*"), Duration.ZERO)
                .withAllowOriginFunc(o -> o.endsWith(".trusted.test"));
        assertTrue(cors.originAllowed("https://a.trusted.test"));
        assertFalse(cors.originAllowed("https://evil.test"), "an empty origin list no longer allows all");
        Map<String, List<String>> pre = headers("Origin", "https://a.trusted.test", "Access-Control-Request-Method", "POST");
        assertEquals("https://a.trusted.test", cors.preflightHeaders(pre).get("Access-Control-Allow-Origin"));
        assertEquals("https://a.trusted.test",
                cors.actualHeaders("POST", headers("Origin", "https://a.trusted.test")).get("Access-Control-Allow-Origin"));
        assertFalse(cors.actualHeaders("POST", headers("Origin", "https://evil.test")).containsKey("Access-Control-Allow-Origin"));
        // the function is kept by the other copies, and wins over a list
        HttpGateway.Cors listed = new HttpGateway.Cors(List.of("https://evil.test"), List.of("POST"), List.of("*"), Duration.ZERO)
                .withAllowOriginFunc(o -> o.endsWith(".trusted.test")).withAllowCredentials(true).withExposedHeaders(List.of("X"));
        assertFalse(listed.originAllowed("https://evil.test"));
        assertTrue(listed.originAllowed("https://b.trusted.test"));
        assertTrue(listed.withAllowOriginFunc(null).originAllowed("https://evil.test"));
    }
}
