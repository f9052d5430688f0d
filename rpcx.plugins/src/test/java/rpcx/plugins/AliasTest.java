package rpcx.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import rpcx.api.protocol.CompressType;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;

/** The alias rewrite at the hook level. */
class AliasTest {
    private final FakeConnection conn = FakeConnection.from("127.0.0.1");

    @Test
    void rewritesTheNamesAndKeepsEverythingElse() {
        Alias alias = new Alias().alias("Calculator", "Times", "Arith", "Mul");
        byte[] payload = "{\"A\":1}".getBytes(StandardCharsets.UTF_8);
        Message req = Message.request(42, "Calculator", "Times", SerializeType.JSON, Map.of("k", "v", "__AUTH", "t"), payload)
                .withOneway(true).withCompressType(CompressType.GZIP);
        Message out = alias.postReadRequest(conn, req);
        assertEquals("Arith", out.servicePath());
        assertEquals("Mul", out.serviceMethod());
        assertEquals(42, out.seq());
        assertEquals(SerializeType.JSON, out.serializeType());
        assertEquals(Map.of("k", "v", "__AUTH", "t"), out.metadata(), "no __aliasAppliedKey is added");
        assertArrayEquals(payload, out.payload());
        assertTrue(out.isOneway());
        assertEquals(CompressType.GZIP, out.compressType());
        assertEquals(req.flags(), out.flags());
        assertEquals(req.version(), out.version());
        assertFalse(out.isResponse());
    }

    @Test
    void leavesOtherRequestsAlone() {
        Alias alias = new Alias().alias("Calculator", "Times", "Arith", "Mul");
        Message same = Message.request(1, "Calculator", "Plus", 0, Map.of(), new byte[0]);
        assertSame(same, alias.postReadRequest(conn, same));
        Message real = Message.request(2, "Arith", "Mul", 0, Map.of(), new byte[0]);
        assertSame(real, alias.postReadRequest(conn, real), "the real name still works");
        Message hb = Message.request(3, "Calculator", "Times", 0, Map.of(), new byte[0]).withHeartbeat(true);
        assertSame(hb, alias.postReadRequest(conn, hb), "heartbeats are left alone");
        assertSame(same, new Alias().postReadRequest(conn, same));
    }

    @Test
    void namesArePairsNotJoinedStrings() {
        Alias alias = new Alias().alias("a.b", "c", "S", "One");
        Message other = Message.request(1, "a", "b.c", 0, Map.of(), new byte[0]);
        assertSame(other, alias.postReadRequest(conn, other));
        assertEquals("One", alias.postReadRequest(conn, Message.request(2, "a.b", "c", 0, Map.of(), new byte[0])).serviceMethod());
    }

    @Test
    void oneStepOnly() {
        Alias alias = new Alias().alias("A", "x", "B", "y").alias("B", "y", "C", "z");
        Message out = alias.postReadRequest(conn, Message.request(1, "A", "x", 0, Map.of(), new byte[0]));
        assertEquals("B.y", out.servicePath() + "." + out.serviceMethod());
    }

    @Test
    void aliasesCanBeReplacedListedAndRemoved() {
        Alias alias = new Alias().alias("Calc", "Times", "Arith", "Mul").alias("Calc", "Times", "Arith", "Mul2")
                .alias("Calc", "Plus", "Arith", "Add");
        assertEquals(Map.of("Calc.Plus", "Arith.Add", "Calc.Times", "Arith.Mul2"), alias.aliases());
        assertTrue(alias.remove("Calc", "Times"));
        assertFalse(alias.remove("Calc", "Times"));
        assertEquals(Map.of("Calc.Plus", "Arith.Add"), alias.aliases());
    }

    @Test
    void rejectsEmptyAndNullNames() {
        assertThrows(IllegalArgumentException.class, () -> new Alias().alias("", "m", "S", "M"));
        assertThrows(IllegalArgumentException.class, () -> new Alias().alias("a", "m", "S", ""));
        assertThrows(NullPointerException.class, () -> new Alias().alias("a", null, "S", "M"));
    }
}
