package rpcx.codec.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import rpcx.api.GoField;
import rpcx.api.GoType;
import rpcx.api.spi.Codec;

/** The JSON payloads of the golden frames produced by Go rpcx (shared/spec/golden-frames.txt), byte for byte. */
class JsonGoldenTest {
    static final Codec CODEC = new JsonCodecProvider().create();

    /** Go: {@code type Args struct { A int; B int }}. */
    record Args(int a, int b) {
    }

    /** Go: {@code type Reply struct { C int }}. */
    record Reply(int c) {
    }

    /** Go: {@code type UserArgs struct { Uid int }}. */
    record UserArgs(int uid) {
    }

    /** Go: {@code type User struct { UID int64 `json:"id"`; AddTime int64 `json:"addtime"`; ... }}. */
    record User(@GoField(value = "UID", json = "id") long uid,
                @GoField(json = "addtime") long addTime,
                @GoField(json = "utype", type = GoType.INT32) int userType,
                @GoField(json = "uface") String uface,
                @GoField(json = "uname") String userName) {
    }

    /** Go: {@code type UserReply struct { User }}. */
    record UserReply(@GoField(embedded = true) User user) {
    }

    static final User JOKE = new User(1, 14990093, 2, "http://image.xxxx.xxx/t.gif", "Joke");

    static final String ARGS = "{\"A\":10,\"B\":20}";
    static final String REPLY = "{\"C\":200}";
    static final String USER_ARGS = "{\"Uid\":1}";
    static final String USER_INFO = "{\"id\":1,\"addtime\":14990093,\"utype\":2,"
            + "\"uface\":\"http://image.xxxx.xxx/t.gif\",\"uname\":\"Joke\"}";

    static Map<String, Object[]> goldenValues() {
        Map<String, Object[]> m = new LinkedHashMap<>();
        m.put(ARGS, new Object[] {new Args(10, 20), Args.class});
        m.put(REPLY, new Object[] {new Reply(200), Reply.class});
        m.put(USER_ARGS, new Object[] {new UserArgs(1), UserArgs.class});
        m.put(USER_INFO, new Object[] {new UserReply(JOKE), UserReply.class});
        return m;
    }

    static String enc(Object v) {
        return new String(CODEC.encode(v), StandardCharsets.UTF_8);
    }

    static Object dec(String json, Type t) {
        return CODEC.decode(json.getBytes(StandardCharsets.UTF_8), t);
    }

    @Test
    void encodesEveryGoldenPayloadExactly() {
        goldenValues().forEach((json, vt) -> assertEquals(json, enc(vt[0])));
    }

    @Test
    void decodesEveryGoldenPayload() {
        goldenValues().forEach((json, vt) -> assertEquals(vt[0], dec(json, (Type) vt[1])));
    }

    @Test
    void embeddedAndPlainUserProduceTheSameJson() {
        assertEquals(USER_INFO, enc(JOKE));
        assertEquals(JOKE, dec(USER_INFO, User.class));
    }

    /** Guards against a golden frame being added without a test: every JSON payload in the file is covered. */
    @Test
    void everyJsonFrameInTheGoldenFileIsCovered() throws IOException {
        Path file = goldenFile();
        Assumptions.assumeTrue(file != null, "shared/spec/golden-frames.txt not found beside the checkout");
        int checked = 0;
        for (String line : Files.readAllLines(file)) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            byte[] frame = HexFormat.of().parseHex(line);
            if (((frame[3] & 0xff) >>> 4) != 1) {
                continue;
            }
            String payload = new String(payloadOf(frame), StandardCharsets.UTF_8);
            Object[] vt = goldenValues().get(payload);
            assertTrue(vt != null, "golden JSON payload without a test value: " + payload);
            assertEquals(payload, enc(vt[0]));
            assertEquals(vt[0], dec(payload, (Type) vt[1]));
            checked++;
        }
        assertTrue(checked >= 4, "expected the golden file's JSON frames, checked " + checked);
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

    static byte[] payloadOf(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        b.position(16);
        for (int i = 0; i < 3; i++) {
            int n = b.getInt();
            b.position(b.position() + n);
        }
        byte[] payload = new byte[b.getInt()];
        b.get(payload);
        assertFalse(b.hasRemaining());
        return payload;
    }
}
