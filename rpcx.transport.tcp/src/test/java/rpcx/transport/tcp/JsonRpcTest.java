package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The JSON-RPC 2.0 envelope: parsing with raw params and id, error codes, response bytes. */
class JsonRpcTest {
    private static JsonRpc.Call parse(String json) throws JsonRpc.Failure {
        return JsonRpc.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static JsonRpc.Failure failure(String json) {
        return assertThrows(JsonRpc.Failure.class, () -> parse(json));
    }

    @Test
    void callWithRawParamsAndId() throws Exception {
        JsonRpc.Call c = parse("{\"jsonrpc\":\"2.0\",\"method\":\"Arith.Mul\",\"params\":{ \"A\" : 10, \"B\":[20] },\"id\":3}");
        assertEquals("Arith", c.servicePath());
        assertEquals("Mul", c.serviceMethod());
        assertEquals("{ \"A\" : 10, \"B\":[20] }", s(c.params()), "params are the exact bytes sent");
        assertEquals("3", s(c.id()));
        assertFalse(c.notification());
    }

    @Test
    void methodSplitsAtTheLastDotAndNamesMatchCaseInsensitively() throws Exception {
        JsonRpc.Call c = parse("{\"Method\":\"a.b.Svc.Do\",\"PARAMS\":[1,\"x\"],\"Id\":\"req-\\\"1\\\"\",\"extra\":{\"x\":[]}}");
        assertEquals("a.b.Svc", c.servicePath());
        assertEquals("Do", c.serviceMethod());
        assertEquals("[1,\"x\"]", s(c.params()));
        assertEquals("\"req-\\\"1\\\"\"", s(c.id()), "a string id is echoed as sent");
    }

    @Test
    void notificationsAndNullParams() throws Exception {
        JsonRpc.Call n = parse("{\"jsonrpc\":\"2.0\",\"method\":\"A.B\",\"params\":5}");
        assertTrue(n.notification());
        assertEquals("5", s(n.params()));
        JsonRpc.Call nullId = parse("{\"method\":\"A.B\",\"params\":{},\"id\":null}");
        assertTrue(nullId.notification(), "Go treats a null id as no id");
        assertEquals("null", s(parse("{\"method\":\"A.B\",\"id\":1}").params()));
        assertEquals("null", s(parse("{\"method\":\"A.B\",\"params\":null,\"id\":1}").params()));
    }

    @Test
    void errorCodes() {
        JsonRpc.Failure parse = failure("{\"method\":\"A.B\",");
        assertEquals(JsonRpc.PARSE_ERROR, parse.code());
        assertEquals(JsonRpc.PARSE_ERROR, failure("").code());
        assertEquals(JsonRpc.PARSE_ERROR, failure("{\"method\":\"A.B\"} x").code());
        assertEquals(JsonRpc.PARSE_ERROR, failure("{method:1}").code());

        JsonRpc.Failure batch = failure("[{\"jsonrpc\":\"2.0\",\"method\":\"A.B\",\"id\":1}]");
        assertEquals(JsonRpc.INVALID_REQUEST, batch.code());
        assertTrue(batch.getMessage().contains("batch"));
        assertEquals(JsonRpc.INVALID_REQUEST, failure("42").code());
        assertEquals(JsonRpc.INVALID_REQUEST, failure("{\"jsonrpc\":\"1.0\",\"method\":\"A.B\",\"id\":1}").code());
        assertEquals(JsonRpc.INVALID_REQUEST, failure("{\"method\":7,\"id\":1}").code());
        assertEquals(JsonRpc.INVALID_REQUEST, failure("{\"id\":1}").code());
        assertEquals(JsonRpc.INVALID_REQUEST, failure("{\"method\":\"A.B\",\"id\":{}}").code());

        JsonRpc.Failure noDot = failure("{\"method\":\"Mul\",\"id\":9}");
        assertEquals(JsonRpc.METHOD_NOT_FOUND, noDot.code());
        assertFalse(noDot.silent());
        assertEquals("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"must contains servicepath and method\","
                + "\"data\":null},\"id\":9}", s(noDot.response()));
        assertEquals(JsonRpc.METHOD_NOT_FOUND, failure("{\"method\":\".Mul\",\"id\":9}").code());
        assertTrue(failure("{\"method\":\"Mul\"}").silent(), "a notification gets no error object");
        assertFalse(failure("{\"method\":\"Mul\"").silent(), "a parse error always gets one");
    }

    @Test
    void responses() {
        assertEquals("{\"jsonrpc\":\"2.0\",\"result\":{\"C\":200},\"id\":3}",
                s(JsonRpc.result("3".getBytes(StandardCharsets.UTF_8), "{\"C\":200}".getBytes(StandardCharsets.UTF_8))));
        assertEquals("{\"jsonrpc\":\"2.0\",\"result\":null,\"id\":\"a\"}",
                s(JsonRpc.result("\"a\"".getBytes(StandardCharsets.UTF_8), new byte[0])));
        assertEquals("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32603,\"message\":\"a \\\"b\\\" \\\\ \\n\\u003c\\u0026\\u003e é\","
                + "\"data\":null},\"id\":null}", s(JsonRpc.error(null, JsonRpc.INTERNAL_ERROR, "a \"b\" \\ \n<&> é")));
    }
}
