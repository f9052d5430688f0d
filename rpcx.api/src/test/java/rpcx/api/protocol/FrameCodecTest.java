package rpcx.api.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class FrameCodecTest {
    private static final FrameLimits LIMITS = FrameLimits.DEFAULT;

    @TestFactory
    Stream<DynamicTest> everyGoldenFrameDecodesAndReencodesByteIdentical() {
        List<GoldenFrames.Frame> frames = GoldenFrames.all();
        assertTrue(frames.size() >= 20, "golden file has " + frames.size() + " frames");
        return frames.stream().map(f -> DynamicTest.dynamicTest(f.description(), () -> {
            Message m = FrameCodec.decode(ByteBuffer.wrap(f.bytes()), LIMITS);
            assertArrayEquals(f.bytes(), FrameCodec.encode(m), "re-encoded frame differs");
        }));
    }

    @Test
    void decodesTheDefaultGoRequestAndResponse() {
        Message req = FrameCodec.decode(ByteBuffer.wrap(GoldenFrames.find("request  Arith.Mul msgpack {A:10,B:20}")), LIMITS);
        assertFalse(req.isResponse());
        assertFalse(req.isOneway());
        assertEquals(0, req.seq());
        assertEquals("Arith", req.servicePath());
        assertEquals("Mul", req.serviceMethod());
        assertEquals(SerializeType.MSGPACK, req.serializeType());
        assertEquals(Map.of(), req.metadata());
        assertArrayEquals(HexFormat.of().parseHex("82a1410aa14214"), req.payload());

        Message res = FrameCodec.decode(ByteBuffer.wrap(GoldenFrames.find("response Arith.Mul msgpack {A:10,B:20}")), LIMITS);
        assertTrue(res.isResponse());
        assertFalse(res.isError());
        assertArrayEquals(HexFormat.of().parseHex("81a143ccc8"), res.payload());
        // the response Go's server builds from the request: same header but the response bit, echoed path/method
        assertEquals(res, req.toResponse().withPayload(HexFormat.of().parseHex("81a143ccc8")));
    }

    @Test
    void decodesMetadataSeqErrorsAndHeartbeats() {
        Message auth = FrameCodec.decode(ByteBuffer.wrap(GoldenFrames.find("request  Arith.Mul msgpack seq=12345")), LIMITS);
        assertEquals(12345, auth.seq());
        assertEquals(Map.of("auth", "token123"), auth.metadata());

        Message err = FrameCodec.decode(ByteBuffer.wrap(GoldenFrames.find("response Arith.Div")), LIMITS);
        assertTrue(err.isError());
        assertEquals("divide by zero", err.errorMessage());
        assertArrayEquals(HexFormat.of().parseHex("81a14300"), err.payload());

        Message hb = FrameCodec.decode(ByteBuffer.wrap(GoldenFrames.find("request  heartbeat seq=7")), LIMITS);
        assertTrue(hb.isHeartbeat());
        assertEquals(7, hb.seq());
        Message echo = FrameCodec.decode(ByteBuffer.wrap(GoldenFrames.find("response heartbeat seq=7")), LIMITS);
        assertEquals(echo, hb.withResponse(true));

        Message timeout = FrameCodec.decode(ByteBuffer.wrap(GoldenFrames.find("__ServerTimeout=4999")), LIMITS);
        assertEquals("4999", timeout.metadata().get(Message.SERVER_TIMEOUT_KEY));
    }

    @Test
    void buildsTheUnknownServiceAndMethodErrorResponsesExactlyAsGo() {
        List<GoldenFrames.Frame> all = GoldenFrames.all();
        for (String what : new String[] {"Arith.Nope", "NoSuch.X"}) {
            int i = indexOf(all, what);
            Message req = FrameCodec.decode(ByteBuffer.wrap(all.get(i).bytes()), LIMITS);
            String text = what.startsWith("Arith") ? "rpcx: can't find method Nope" : "rpcx: can't find service NoSuch";
            Message res = req.toResponse().withError(true).withMetadata(Map.of(Message.ERROR_KEY, text));
            assertArrayEquals(all.get(i + 1).bytes(), FrameCodec.encode(res), what);
        }
    }

    private static int indexOf(List<GoldenFrames.Frame> all, String text) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).description().contains(text)) {
                return i;
            }
        }
        throw new AssertionError(text);
    }

    @Test
    void encodesAServerPushAsGoDoes() {
        // protocol.md §10.7: SendMessage(conn,"Push","Notify",nil,"hi"), seq 1
        Message push = Message.request(1, "Push", "Notify", SerializeType.NONE, Map.of(), "hi".getBytes(StandardCharsets.UTF_8))
                .withOneway(true);
        String expected = "0800200000000000000000010000001c" + "00000004" + "50757368" + "00000006" + "4e6f74696679"
                + "00000000" + "00000002" + "6869";
        assertEquals(expected, HexFormat.of().formatHex(FrameCodec.encode(push)));
    }

    @Test
    void truncatedHeaderIsAProtocolError() {
        byte[] frame = GoldenFrames.find("request  Arith.Mul msgpack {A:10,B:20}");
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> FrameCodec.checkPrefix(ByteBuffer.wrap(frame, 0, 10), LIMITS));
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
    }

    @Test
    void wrongMagicIsAProtocolError() {
        byte[] frame = GoldenFrames.find("request  Arith.Mul msgpack {A:10,B:20}").clone();
        frame[0] = 0x09;
        ProtocolException e = assertThrows(ProtocolException.class, () -> FrameCodec.decode(ByteBuffer.wrap(frame), LIMITS));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void totalLengthBeyondTheMaximumIsRejectedFromTheHeaderAlone() {
        ByteBuffer header = ByteBuffer.allocate(16).put(Message.MAGIC).put(new byte[11]).putInt(0x7FFFFFFF).flip();
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class, () -> FrameCodec.checkPrefix(header, LIMITS));
        assertEquals(0x7FFFFFFFL, e.declaredLength());
        ByteBuffer unsigned = ByteBuffer.allocate(16).put(Message.MAGIC).put(new byte[11]).putInt(0xFFFFFFFF).flip();
        assertThrows(FrameTooLargeException.class, () -> FrameCodec.checkPrefix(unsigned, LIMITS));
        ByteBuffer small = ByteBuffer.allocate(16).put(Message.MAGIC).put(new byte[11]).putInt(100).flip();
        assertThrows(FrameTooLargeException.class, () -> FrameCodec.checkPrefix(small, new FrameLimits(64, 8)));
    }

    @Test
    void totalLengthTooSmallForTheSectionsIsRejected() {
        ByteBuffer header = ByteBuffer.allocate(16).put(Message.MAGIC).put(new byte[11]).putInt(3).flip();
        assertThrows(ProtocolException.class, () -> FrameCodec.checkPrefix(header, LIMITS));
    }

    @Test
    void sectionLengthsBeyondTheFrameAreRejected() {
        byte[] good = GoldenFrames.find("request  Arith.Mul msgpack {A:10,B:20}");
        for (int offset : new int[] {16, 25, 32, 36}) { // path, method, metadata, payload length fields
            byte[] bad = good.clone();
            ByteBuffer.wrap(bad).putInt(offset, 0x10000);
            ProtocolException e = assertThrows(ProtocolException.class, () -> FrameCodec.decode(ByteBuffer.wrap(bad), LIMITS),
                    "length at offset " + offset);
            assertTrue(e.getMessage().contains("length") || e.getMessage().contains("payloadLen"), e.getMessage());
        }
        byte[] shortPayload = good.clone();
        ByteBuffer.wrap(shortPayload).putInt(36, 3);
        assertThrows(ProtocolException.class, () -> FrameCodec.decode(ByteBuffer.wrap(shortPayload), LIMITS));
    }

    @Test
    void frameShorterThanItsTotalLengthIsRejected() {
        byte[] good = GoldenFrames.find("request  Arith.Mul msgpack {A:10,B:20}");
        ByteBuffer cut = ByteBuffer.wrap(good, 0, good.length - 3).slice();
        assertThrows(ProtocolException.class, () -> FrameCodec.decode(cut, LIMITS));
    }

    @Test
    void hugeMetadataCountsAreRejected() {
        Map<String, String> meta = new java.util.HashMap<>();
        for (int i = 0; i < 2000; i++) {
            meta.put("k" + i, "");
        }
        byte[] frame = FrameCodec.encode(Message.request(1, "A", "B", 3, meta, new byte[0]));
        ProtocolException e = assertThrows(ProtocolException.class, () -> FrameCodec.decode(ByteBuffer.wrap(frame), LIMITS));
        assertTrue(e.getMessage().contains("metadata entries"), e.getMessage());
        // and a metadata block whose inner key length overruns the block
        byte[] bad = FrameCodec.encode(Message.request(1, "A", "B", 3, Map.of("key", "value"), new byte[0]));
        ByteBuffer.wrap(bad).putInt(16 + 4 + 1 + 4 + 1 + 4, 1000);
        assertThrows(ProtocolException.class, () -> FrameCodec.decode(ByteBuffer.wrap(bad), LIMITS));
    }

    @Test
    void invalidUtf8InAMetadataValueIsToleratedAsGoDoes() {
        byte[] frame = FrameCodec.encode(Message.request(1, "A", "B", 3, Map.of("k", "vv"), new byte[0]));
        frame[frame.length - 4 - 2] = (byte) 0xFF; // first byte of the value "vv"
        Message m = FrameCodec.decode(ByteBuffer.wrap(frame), LIMITS);
        assertEquals("\uFFFDv", m.metadata().get("k"));
    }

    @Test
    void invalidUtf8InThePathIsRejected() {
        byte[] frame = FrameCodec.encode(Message.request(1, "Arith", "Mul", 3, Map.of(), new byte[0]));
        frame[20] = (byte) 0xC3;
        frame[21] = (byte) 0x28;
        assertThrows(ProtocolException.class, () -> FrameCodec.decode(ByteBuffer.wrap(frame), LIMITS));
    }

    @Test
    void garbageNeverEscapesAsAnotherExceptionType() {
        java.util.Random r = new java.util.Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[16 + r.nextInt(64)];
            r.nextBytes(b);
            b[0] = Message.MAGIC;
            ByteBuffer.wrap(b).putInt(12, b.length - 16);
            try {
                FrameCodec.decode(ByteBuffer.wrap(b), LIMITS);
            } catch (ProtocolException expected) {
                // fine: typed
            }
        }
    }

    @Test
    void flagsAreSetAndClearedExplicitly() {
        Message m = Message.request(9, "S", "M", 1, Map.of(), new byte[0]);
        Message all = m.withResponse(true).withHeartbeat(true).withOneway(true).withCompressType(1).withError(true);
        assertEquals(0x80 | 0x40 | 0x20 | 0x04 | 0x01, all.flags());
        Message none = all.withResponse(false).withHeartbeat(false).withOneway(false).withCompressType(0).withError(false);
        assertEquals(0, none.flags());
        assertEquals(0x10, FrameCodec.encode(m)[3]);
        assertEquals(0x80, all.toResponse().flags() & 0x9C);
    }
}
