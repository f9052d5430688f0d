package rpcx.codec.thrift;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import rpcx.codec.thrift.testtypes.Color;
import rpcx.codec.thrift.testtypes.Inner;
import rpcx.codec.thrift.testtypes.Rich;

/** Values shared by the tests. */
final class TestValues {
    private TestValues() {
    }

    /** A Rich with every field set, the optional one included. */
    static Rich fullRich() {
        return new Rich()
                .setId(-9_007_199_254_740_993L)
                .setSmall((short) -300)
                .setTiny((byte) -7)
                .setRatio(3.141592653589793)
                .setFlag(true)
                .setTitle("héllo, 世界")
                .setBlob(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff})
                .setTags(List.of("a", "", "tag with spaces"))
                .setCounts(Map.of("one", 1L, "minus", -1L, "big", Long.MAX_VALUE))
                .setIds(new HashSet<>(Set.of(1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE)))
                .setInner(new Inner("nested", 42))
                .setNote("optional and set")
                .setColor(Color.BLUE)
                .setInners(List.of(new Inner("first", 1), new Inner().setScore(2)));
    }

    /**
     * Go's zero Rich as Go writes it and as Java reads it back: Go writes every field that is not optional, so
     * strings and binaries arrive empty, containers empty, the nil nested struct as an empty struct; the enum
     * arrives as 0, which names no Color, so Java leaves it null.
     */
    static Rich goZeroRichAsJavaReadsIt() {
        return new Rich()
                .setTitle("")
                .setBlob(new byte[0])
                .setTags(List.of())
                .setCounts(Map.of())
                .setIds(Set.of())
                .setInner(new Inner())
                .setInners(List.of());
    }

    static byte[] hex(String spaced) {
        String s = spaced.replaceAll("\\s+", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }
}
