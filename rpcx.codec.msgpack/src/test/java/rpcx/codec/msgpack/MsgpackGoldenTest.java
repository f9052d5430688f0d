package rpcx.codec.msgpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import rpcx.api.GoField;
import rpcx.api.GoType;
import rpcx.api.spi.Codec;
import rpcx.api.spi.StructModel;

/** The payloads of the golden frames produced by Go rpcx (shared/spec/golden-frames.txt), byte for byte. */
class MsgpackGoldenTest {
    static final HexFormat HEX = HexFormat.of();
    static final Codec CODEC = new MsgpackCodecProvider().create();

    /** Go: {@code type Args struct { A int; B int }}. */
    record Args(int a, int b) {
    }

    /** Go: {@code type Reply struct { C int }}. */
    record Reply(int c) {
    }

    /** Go: {@code type UserArgs struct { Uid int }}. */
    record UserArgs(int uid) {
    }

    /** Go: {@code type User struct { UID int64; AddTime int64; UserType int32; Uface, UserName string }}. */
    record User(@GoField(value = "UID", json = "id") long uid,
                @GoField(json = "addtime") long addTime,
                @GoField(json = "utype", type = GoType.INT32) int userType,
                @GoField(json = "uface") String uface,
                @GoField(json = "uname") String userName) {
    }

    /** Go: {@code type UserReply struct { User }}. */
    record UserReply(@GoField(embedded = true) User user) {
    }

    /** Go: {@code struct{}}. */
    record Nothing() {
    }

    static final User JOKE = new User(1, 14990093, 2, "http://image.xxxx.xxx/t.gif", "Joke");

    static final String ARGS_10_20 = "82a1410aa14214";
    static final String REPLY_200 = "81a143ccc8";
    static final String USER_ARGS_1 = "81a355696401";
    static final String USER_INFO = "85a3554944d30000000000000001a741646454696d65d30000000000e4bb0d"
            + "a85573657254797065d200000002a55566616365bb687474703a2f2f696d6167652e787878782e7878782f742e676966"
            + "a8557365724e616d65a44a6f6b65";
    static final String ARGS_1_0 = "82a14101a14200";
    static final String ZERO_REPLY = "81a14300";
    static final String HEARTBEAT = "d317979cfe362a0000";
    static final String HEARTBEAT_LIVE = "d318eb4bc9bab9eb6f";
    static final String EMPTY_STRUCT = "80";

    /** Every msgpack payload of the golden file, with the Java value and type that must produce it. */
    static Map<String, Object[]> goldenValues() {
        Map<String, Object[]> m = new LinkedHashMap<>();
        m.put(ARGS_10_20, new Object[] {new Args(10, 20), Args.class});
        m.put(REPLY_200, new Object[] {new Reply(200), Reply.class});
        m.put(USER_ARGS_1, new Object[] {new UserArgs(1), UserArgs.class});
        m.put(USER_INFO, new Object[] {new UserReply(JOKE), UserReply.class});
        m.put(ARGS_1_0, new Object[] {new Args(1, 0), Args.class});
        m.put(ZERO_REPLY, new Object[] {new Reply(0), Reply.class});
        m.put(HEARTBEAT, new Object[] {1_700_000_000_000_000_000L, Long.class});
        m.put(HEARTBEAT_LIVE, new Object[] {1_795_612_206_230_530_927L, Long.class});
        m.put(EMPTY_STRUCT, new Object[] {new Nothing(), Nothing.class});
        return m;
    }

    static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    @Test
    void encodesEveryGoldenPayloadExactly() {
        goldenValues().forEach((payload, vt) -> assertEquals(payload, hex(CODEC.encode(vt[0])), vt[0].toString()));
    }

    @Test
    void decodesEveryGoldenPayload() {
        goldenValues().forEach((payload, vt) -> assertEquals(vt[0], CODEC.decode(hex(payload), (Type) vt[1]),
                payload));
    }

    @Test
    void embeddedAndPlainUserProduceTheSameBytes() {
        assertEquals(USER_INFO, hex(CODEC.encode(JOKE)));
        assertEquals(JOKE, CODEC.decode(hex(USER_INFO), User.class));
    }

    @Test
    void zeroReplyOfAnErrorResponse() {
        assertEquals(ZERO_REPLY, hex(CODEC.encode(StructModel.zeroValue(Reply.class))));
    }

    @Test
    void heartbeatPayloadIsInt64() {
        assertEquals(HEARTBEAT, hex(CODEC.encode(1_700_000_000_000_000_000L)));
        assertEquals("d30000000000000005", hex(CODEC.encode(5L)), "Go int64 is always d3 + 8 bytes");
        assertEquals(1_700_000_000_000_000_000L, CODEC.decode(hex(HEARTBEAT), long.class));
        assertEquals(1_700_000_000_000_000_000L, CODEC.decode(hex(HEARTBEAT), Object.class));
    }

    @Test
    void genericEmptyArgsIsAnEmptyMap() {
        assertEquals(EMPTY_STRUCT, hex(CODEC.encode(Map.of())));
        assertEquals(Map.of(), CODEC.decode(hex(EMPTY_STRUCT), Object.class));
        assertEquals(Map.of(), CODEC.decode(hex(EMPTY_STRUCT), Map.class));
    }

    @Test
    void userInfoDecodesToNaturalJavaValues() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("UID", 1L);
        expected.put("AddTime", 14990093L);
        expected.put("UserType", 2L);
        expected.put("Uface", "http://image.xxxx.xxx/t.gif");
        expected.put("UserName", "Joke");
        Object natural = CODEC.decode(hex(USER_INFO), Object.class);
        assertEquals(expected, natural);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(((Map<?, ?>) natural).keySet()), "key order kept");
    }

    /** Guards against a golden frame being added without a test: every msgpack payload in the file is covered. */
    @Test
    void everyMsgpackFrameInTheGoldenFileIsCovered() throws IOException {
        Path file = goldenFile();
        Assumptions.assumeTrue(file != null, "shared/spec/golden-frames.txt not found beside the checkout");
        Map<String, Object[]> known = goldenValues();
        int checked = 0;
        for (String line : Files.readAllLines(file)) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            byte[] frame = hex(line);
            if (((frame[3] & 0xff) >>> 4) != 3) {
                continue;
            }
            byte[] payload = payloadOf(frame);
            if (payload.length == 0) {
                continue; // error responses without a reply body
            }
            Object[] vt = known.get(hex(payload));
            assertTrue(vt != null, "golden msgpack payload without a test value: " + hex(payload));
            assertArrayEquals(payload, CODEC.encode(vt[0]));
            assertEquals(vt[0], CODEC.decode(payload, (Type) vt[1]));
            checked++;
        }
        assertTrue(checked >= 15, "expected the golden file's msgpack frames, checked " + checked);
    }

    static Path goldenFile() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("shared/spec/golden-frames.txt");
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** The payload section of an rpcx frame (header, then four length-prefixed sections). */
    static byte[] payloadOf(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        b.position(16);
        for (int i = 0; i < 3; i++) {
            int n = b.getInt();
            b.position(b.position() + n);
        }
        byte[] payload = new byte[b.getInt()];
        b.get(payload);
        assertFalse(b.hasRemaining(), "frame has bytes after the payload");
        return payload;
    }

    @Test
    void payloadOfParsesAFrame() {
        byte[] frame = hex("0800803000000000000000000000001d"
                + "000000054172697468000000034d756c000000000000000581a143ccc8");
        assertEquals(REPLY_200, hex(payloadOf(frame)));
        assertEquals("Arith", new String(frame, 20, 5, StandardCharsets.US_ASCII));
        List<String> seen = new ArrayList<>(goldenValues().keySet());
        assertTrue(seen.contains(REPLY_200));
    }
}
