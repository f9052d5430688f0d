package com.example.rpcx.codec.cbor;

import static com.example.rpcx.codec.cbor.CborCodecConformanceTest.JOKE;
import static com.example.rpcx.codec.cbor.CborCodecConformanceTest.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Type;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.example.rpcx.codec.cbor.GoStructs.Args;
import com.example.rpcx.codec.cbor.GoStructs.Optional;
import com.example.rpcx.codec.cbor.GoStructs.Reply;
import com.example.rpcx.codec.cbor.GoStructs.Sized;
import com.example.rpcx.codec.cbor.GoStructs.User;
import com.example.rpcx.codec.cbor.GoStructs.Wide;

import rpcx.api.GoField;
import rpcx.api.GoType;
import rpcx.api.spi.Codec;
import rpcx.api.spi.CodecException;

/**
 * Byte-exact encodings. Scalars, arrays and maps are the examples of RFC 8949 Appendix A; structs are derived by
 * hand from RFC 8949 section 3 (head = major type in the top 3 bits, then the argument in its shortest form) and
 * are what Go's {@code cbor.Marshal} (fxamacker/cbor/v2, default EncOptions) writes for the same Go struct.
 */
class CborGoldenBytesTest {
    private final Codec codec = new CborCodecProvider().create();

    private byte[] encode(Object v) {
        return codec.encode(v);
    }

    private static String hexOf(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private void assertEncodes(String expectedHex, Object value) {
        assertEquals(expectedHex, hexOf(encode(value)), () -> "encoding of " + value);
    }

    /** Encodes to the golden bytes and decodes them back to an equal value. */
    private void assertGolden(String expectedHex, Object value, Type type) {
        assertEncodes(expectedHex, value);
        assertEquals(value, codec.decode(hex(expectedHex), type));
    }

    // ------------------------------------------------------------------------------------------------ the tutorial

    /**
     * The tutorial's {@code Args{Uid: 999}}:
     * <pre>
     * a1              map(1)
     *    63 556964    text(3) "Uid"        the Go field name (Args has no tags)
     *    19 03e7      unsigned(999)        999 > 255, so a 2-byte argument (0x19)
     * </pre>
     */
    @Test
    void tutorialArgs() {
        assertGolden("a163556964" + "1903e7", new Args(999), Args.class);
    }

    /**
     * The tutorial's reply, {@code Reply{model.User{UID: 999, AddTime: 14990093, UserType: 2, Uface: ...,
     * UserName: "Joke"}}}: the embedded User is inlined, and its keys are its {@code json} tags, because
     * fxamacker/cbor falls back to the json tag when a field has no cbor tag.
     * <pre>
     * a5                          map(5)
     *    62 6964                  "id"
     *    19 03e7                  999
     *    67 61646474696d65        "addtime"
     *    1a 00e4bb0d              14990093 (0xe4bb0d > 65535: a 4-byte argument)
     *    65 7574797065            "utype"
     *    02                       2 (Go int32; integers always take the shortest form)
     *    65 7566616365            "uface"
     *    78 1b 687474...676966    text(27) "http://image.xxxx.xxx/t.gif" (27 > 23: 1-byte length 0x78)
     *    65 756e616d65            "uname"
     *    64 4a6f6b65              "Joke"
     * </pre>
     */
    @Test
    void tutorialReply() {
        assertGolden("a5"
                + "626964" + "1903e7"
                + "6761646474696d65" + "1a00e4bb0d"
                + "657574797065" + "02"
                + "657566616365" + "781b" + "687474703a2f2f696d6167652e787878782e7878782f742e676966"
                + "65756e616d65" + "644a6f6b65", new Reply(JOKE), Reply.class);
    }

    // ------------------------------------------------------------------------------------------------ RFC 8949 A

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0, 00", "1, 01", "10, 0a", "23, 17", "24, 1818", "25, 1819", "100, 1864", "1000, 1903e8",
        "1000000, 1a000f4240", "1000000000000, 1b000000e8d4a51000", "-1, 20", "-10, 29", "-100, 3863",
        "-1000, 3903e7",
        // not in Appendix A: the ends of int64
        "9223372036854775807, 1b7fffffffffffffff", "-9223372036854775808, 3b7fffffffffffffff"})
    void integers(long value, String expectedHex) {
        assertGolden(expectedHex, value, Long.class);
    }

    @Test
    void uint64Max() {
        // 18446744073709551615 -> 0x1bffffffffffffffff (Appendix A); Java keeps uint64 bits in a long
        assertGolden("a2" + "6155" + "1bffffffffffffffff" + "6149" + "20", new Wide(-1L, -1L), Wide.class);
    }

    @Test
    void floats() {
        assertGolden("fb3ff199999999999a", 1.1, Double.class);
        assertGolden("fb7e37e43c8800759c", 1.0e300, Double.class);
        assertGolden("fbc010666666666666", -4.1, Double.class);
        assertGolden("fa47c35000", 100000.0f, Float.class);
        assertGolden("fa7f7fffff", 3.4028234663852886e+38f, Float.class);
        // Go (default ShortestFloatNone) writes a float64 as 8 bytes even when fewer would do
        assertGolden("fb3ff0000000000000", 1.0, Double.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "f90000, 0.0", "f98000, -0.0", "f93c00, 1.0", "f93e00, 1.5", "f97bff, 65504.0",
        "f90001, 5.960464477539063e-8", "f90400, 0.00006103515625", "f9c400, -4.0",
        "f97c00, Infinity", "f9fc00, -Infinity", "f97e00, NaN", "fa7f800000, Infinity", "fb7ff8000000000000, NaN",
        "1903e8, 1000.0"}) // Go fills a float from an integer too
    void halfSingleAndDoubleFloatsDecode(String hexBytes, double expected) {
        assertEquals(expected, (Double) codec.decode(hex(hexBytes), Double.class));
    }

    @Test
    void nanAndInfinityKeepTheirWidth() {
        // Go writes f97e00 / f97c00 / f9fc00 (half precision) for these; Jackson's generator writes no half
        // floats, so they keep the width of their Go type. Both sides decode either form to the same value.
        assertEncodes("fb7ff8000000000000", Double.NaN);
        assertEncodes("fb7ff0000000000000", Double.POSITIVE_INFINITY);
        assertEncodes("fa7fc00000", Float.NaN);
        assertEncodes("faff800000", Float.NEGATIVE_INFINITY);
    }

    @Test
    void simpleValues() {
        assertGolden("f4", false, Boolean.class);
        assertGolden("f5", true, Boolean.class);
        assertEncodes("f6", null);
        assertEquals(null, codec.decode(hex("f6"), String.class));
        assertEquals(null, codec.decode(hex("f7"), String.class)); // undefined, as Go reads it: nil
        assertEquals(0L, codec.decode(hex("f6"), long.class));     // Go leaves the zero value
    }

    @Test
    void textAndByteStrings() {
        assertGolden("60", "", String.class);
        assertGolden("6161", "a", String.class);
        assertGolden("6449455446", "IETF", String.class);
        assertGolden("62225c", "\"\\", String.class);
        assertGolden("62c3bc", "\u00fc", String.class);
        assertGolden("63e6b0b4", "\u6c34", String.class);
        assertGolden("64f0908591", "\ud800\udd51", String.class);
        assertEncodes("40", new byte[0]);
        assertEncodes("4401020304", new byte[] {1, 2, 3, 4});
        assertArrayEquals(new byte[] {1, 2, 3, 4}, (byte[]) codec.decode(hex("4401020304"), byte[].class));
    }

    @Test
    void longStringsKeepADefiniteLength() {
        // Jackson's writeString would chunk this into an indefinite-length string (7f ... ff); Go never does
        String s = "x".repeat(10_000);
        assertEquals("792710" + "78".repeat(10_000), hexOf(encode(s)));
    }

    @Test
    void arraysAndMaps() {
        assertGolden("80", List.of(), List.class);
        assertGolden("83010203", List.of(1L, 2L, 3L), List.class);
        assertGolden("8301820203820405", List.of(1L, List.of(2L, 3L), List.of(4L, 5L)), Object.class);
        assertGolden("98190102030405060708090a0b0c0d0e0f101112131415161718181819",
                java.util.stream.LongStream.rangeClosed(1, 25).boxed().toList(), Object.class);
        assertGolden("a0", Map.of(), Map.class);
        assertGolden("826161a161626163", List.of("a", Map.of("b", "c")), Object.class);
        assertEncodes("a56161614161626142616361436164614461656145",
                Map.of("e", "E", "d", "D", "c", "C", "b", "B", "a", "A"));
    }

    @Test
    void mapKeysAreSortedBytewise() {
        // {"a": 1, "b": [2, 3]} (Appendix A) written from a map iterating in the other order
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", List.of(2L, 3L));
        m.put("a", 1L);
        assertGolden("a26161016162820203", m, Object.class);
        // the head carries the length, so shorter keys sort first: "b" (6162) < "aa" (626161)
        Map<String, Long> n = new LinkedHashMap<>();
        n.put("aa", 2L);
        n.put("b", 1L);
        assertEncodes("a2" + "6162" + "01" + "626161" + "02", n);
    }

    @Test
    void indefiniteLengthItemsDecode() {
        // Appendix A: Go's decoder accepts these, so ours does too
        assertArrayEquals(hex("0102030405"), (byte[]) codec.decode(hex("5f42010243030405ff"), byte[].class));
        assertEquals("streaming", codec.decode(hex("7f657374726561646d696e67ff"), String.class));
        assertEquals(List.of(), codec.decode(hex("9fff"), Object.class));
        assertEquals(List.of(1L, List.of(2L, 3L), List.of(4L, 5L)),
                codec.decode(hex("9f018202039f0405ffff"), Object.class));
        assertEquals(Map.of("a", 1L, "b", List.of(2L, 3L)), codec.decode(hex("bf61610161629f0203ffff"), Object.class));
        assertEquals(Map.of("Fun", true, "Amt", -2L), codec.decode(hex("bf6346756ef563416d7421ff"), Object.class));
        assertEquals(new Args(999), codec.decode(hex("bf635569641903e7ff"), Args.class));
    }

    // ------------------------------------------------------------------------------------------------ Go structs

    /**
     * {@code Sized{A: -128, B: 255, C: -32768, D: 65535, E: -2147483648, F: 4294967295, G: 18446744073709551615}}:
     * the Go type decides the range, never the width on the wire (always the shortest form). Unsigned values are
     * held in a Java value of the same width ({@code (byte) 255 == -1}).
     */
    @Test
    void sizedIntegers() {
        assertGolden("a7"
                + "6141" + "387f"
                + "6142" + "18ff"
                + "6143" + "397fff"
                + "6144" + "19ffff"
                + "6145" + "3a7fffffff"
                + "6146" + "1affffffff"
                + "6147" + "1bffffffffffffffff",
                new Sized((byte) -128, (byte) 255, Short.MIN_VALUE, (short) 65535, Integer.MIN_VALUE, -1, -1L),
                Sized.class);
    }

    public record Int8(@GoField(type = GoType.INT8) int v) {
    }

    public record Uint8(@GoField(type = GoType.UINT8) int v) {
    }

    public record GoInt(int v) {
    }

    @Test
    void integersOutOfTheirGoRangeFail() {
        assertThrowsMentioning("int8", () -> encode(new Int8(300)));
        assertThrowsMentioning("uint8", () -> encode(new Uint8(-1)));  // an int is wider than uint8: no bits to keep
        assertThrowsMentioning("int8", () -> codec.decode(hex("a16156" + "1880"), Int8.class)); // 128
        assertThrowsMentioning("uint8", () -> codec.decode(hex("a16156" + "20"), Uint8.class)); // -1
        assertThrowsMentioning("does not fit in int", () -> codec.decode(hex("a16156" + "1b0000010000000000"), GoInt.class));
        assertThrowsMentioning("GoType.UINT64", () -> codec.decode(hex("a1" + "6149" + "1bffffffffffffffff"), Wide.class));
        assertThrowsMentioning("expected an integer", () -> codec.decode(hex("a163556964" + "fb3ff0000000000000"), Args.class));
    }

    @Test
    void omitemptyAndHiddenFields() {
        // Note and N are omitempty and empty, Secret is json:"-": only Keep is written
        assertEncodes("a1" + "644b656570" + "60", new Optional("", 0, "", "s3cret"));
        assertEquals(new Optional("", 0, "", ""), codec.decode(hex("a1644b65657060"), Optional.class));
        assertEncodes("a3" + "646e6f7465" + "6161" + "614e" + "01" + "644b656570" + "6162",
                new Optional("a", 1, "b", "s3cret"));
    }

    @Test
    void keysMatchExactlyThenCaseInsensitivelyAndUnknownKeysAreSkipped() {
        assertEquals(new Args(7), codec.decode(hex("a163756964" + "07"), Args.class));         // "uid"
        assertEquals(new User(5, 0, 0, "", ""), codec.decode(hex("a1624944" + "05"), User.class)); // "ID"
        // {"x": [1, {"y": h'00'}], "z": simple(16), "Uid": 9}: unknown keys of any kind are skipped, as Go does
        assertEquals(new Args(9), codec.decode(
                hex("a3" + "6178" + "8201a1617941" + "00" + "617a" + "f0" + "63556964" + "09"), Args.class));
    }

    @Test
    void valuesTheCodecDoesNotCarryFail() {
        assertThrowsMentioning("cannot encode a java.lang.Thread", () -> encode(Thread.currentThread()));
        assertThrowsMentioning("map keys must be strings", () -> encode(Map.of(1, "one")));
        assertThrowsMentioning("unpaired surrogate", () -> encode("a\ud800b"));
        assertThrowsMentioning("cannot decode into", () -> codec.decode(hex("a0"), Thread.class));
    }

    private static void assertThrowsMentioning(String text, org.junit.jupiter.api.function.Executable call) {
        CodecException e = assertThrows(CodecException.class, call);
        assertTrue(e.getMessage().contains(text), () -> "message does not mention '" + text + "': " + e.getMessage());
    }
}
