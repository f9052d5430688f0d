package com.example.rpcx.codec.cbor;

import static com.example.rpcx.codec.cbor.CborCodecConformanceTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.example.rpcx.codec.cbor.GoStructs.Args;
import com.example.rpcx.codec.cbor.GoStructs.Profile;

import rpcx.api.spi.Codec;
import rpcx.api.spi.CodecException;

/**
 * Malformed, hostile and mistyped input: every case fails fast with a {@link CodecException} and nothing else. The
 * test JVM runs with a small heap (-Xmx256m, see the pom), so a decoder that trusted a declared 2 GiB length would
 * fail here with an OutOfMemoryError instead.
 */
class CborBadInputTest {
    private final Codec codec = new CborCodecProvider().create();

    private CodecException fails(String hexBytes, Type type) {
        return fails(hex(hexBytes), type);
    }

    private CodecException fails(byte[] data, Type type) {
        return assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(CodecException.class, () -> codec.decode(data, type)));
    }

    private void failsMentioning(String text, String hexBytes, Type type) {
        failsMentioning(text, hex(hexBytes), type);
    }

    private void failsMentioning(String text, byte[] data, Type type) {
        String message = fails(data, type).getMessage();
        assertTrue(message.contains(text), () -> "message does not mention '" + text + "': " + message);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "a byte string declaring 2 GiB (32-bit length),    5a7fffffff00",
        "a byte string declaring 2 GiB (64-bit length),    5b000000008000000000",
        "a byte string declaring 2^64-1 bytes,             5bffffffffffffffff00",
        "a text string declaring 2 GiB,                    7a7fffffff61",
        "an array declaring 4 Gi elements,                 9b00000000ffffffff00",
        "an array declaring 2 Gi elements,                 9a7fffffff00",
        "a map declaring 4 Gi pairs,                       bb00000000ffffffff00",
        "an indefinite byte string that never ends,        5f4100",
        "a chunk of the wrong type,                        5f6161ff",
        "a break outside an indefinite item,               ff",
        "reserved additional information 28,               1c",
        "reserved additional information 29 on a string,   7d",
        "a truncated 8-byte integer,                       1b0000",
        "invalid UTF-8,                                    62c328",
        "a lone continuation byte,                         6180",
        "a simple value,                                   f0",
        "a two-byte simple value,                          f8ff",
        "a decimal fraction (tag 4),                       c48221196ab3",
        "an integer beyond int64,                          1bffffffffffffffff",
        "a bignum beyond int64 (tag 2),                    c249010000000000000000",
        "a trailing byte,                                  0000",
        "two data items,                                   a0a0",
    })
    void malformedOrUnsupportedIntoObject(String what, String hexBytes) {
        fails(hexBytes, Object.class);
    }

    @Test
    void theSameLengthsInsideATypedStruct() {
        fails("a1" + "66417661746172" + "5a7fffffff00", Profile.class);             // Avatar: 2 GiB of bytes
        fails("a1" + "6454616773" + "9b00000000ffffffff00", Profile.class);          // Tags: 4 Gi strings
        fails("a1" + "6178" + "5a7fffffff00", Args.class);                           // unknown key, 2 GiB value
        fails("a1" + "6178" + "9b00000000ffffffff", Args.class);                     // unknown key, 4 Gi elements
    }

    @Test
    void nestingIsLimitedTo32ArraysAndMaps() {
        assertEquals(32, depth(codec.decode(hex("81".repeat(31) + "80"), Object.class)));
        failsMentioning("32 nested", "81".repeat(32) + "80", Object.class);
        failsMentioning("32 nested", "9f".repeat(40) + "ff".repeat(40), Object.class);
        // an unknown key's value is skipped, not read, but its nesting is bounded by the parser all the same
        fails("a1" + "6178" + "81".repeat(1000) + "00", Args.class);
        // and writing refuses what Go's decoder would refuse
        Object deep = List.of();
        for (int i = 0; i < 32; i++) {
            deep = List.of(deep);
        }
        Object tooDeep = deep;
        assertThrows(CodecException.class, () -> codec.encode(tooDeep));
    }

    private static int depth(Object o) {
        return o instanceof List<?> l ? 1 + (l.isEmpty() ? 0 : depth(l.get(0))) : 0;
    }

    @Test
    void containersAreLimitedTo131072Items() {
        assertEquals(131_072, ((List<?>) codec.decode(array(131_072), Object.class)).size());
        assertThrows(CodecException.class, () -> codec.decode(array(131_073), Object.class));
        assertThrows(CodecException.class, () -> codec.decode(array(131_073), long[].class));
    }

    /** An array of n zeros: 9a + 4-byte count + n bytes. */
    private static byte[] array(int n) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(n + 5);
        b.write(0x9a);
        b.write(n >>> 24);
        b.write(n >>> 16);
        b.write(n >>> 8);
        b.write(n);
        b.writeBytes(new byte[n]);
        return b.toByteArray();
    }

    @Test
    void aPayloadMakesAtMostAMillionValues() {
        // 9 arrays of 131072 zeros each stay within the per-array limit but not within the per-payload one
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x89);
        for (int i = 0; i < 9; i++) {
            b.writeBytes(array(131_072));
        }
        failsMentioning("values in one payload", b.toByteArray(), Object.class);
    }

    @Test
    void typeMismatchesNameThePath() {
        failsMentioning("at .Uid: expected an integer for int, got a text string", "a163556964" + "6139", Args.class);
        failsMentioning("at .Friends[1].id", "a1" + "67467269656e6473" + "82a0a1626964f5", Profile.class);
        failsMentioning("expected a byte string", "a1" + "66417661746172" + "6161", Profile.class);
        failsMentioning("expected a map", "80", Args.class);
        failsMentioning("the payload is empty", "", Args.class);
        failsMentioning("extraneous data", "a0" + "00", Args.class);
        failsMentioning("end-of-input", "a2" + "63556964" + "01", Args.class);
    }
}
