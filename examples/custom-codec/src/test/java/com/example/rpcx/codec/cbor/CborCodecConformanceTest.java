package com.example.rpcx.codec.cbor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.example.rpcx.codec.cbor.GoStructs.Args;
import com.example.rpcx.codec.cbor.GoStructs.Profile;
import com.example.rpcx.codec.cbor.GoStructs.ProtoArgs;
import com.example.rpcx.codec.cbor.GoStructs.Reply;
import com.example.rpcx.codec.cbor.GoStructs.Sized;
import com.example.rpcx.codec.cbor.GoStructs.User;

import rpcx.api.spi.CodecProvider;
import rpcx.testkit.CodecConformance;

/**
 * The rpcx codec conformance suite (rpcx.testkit), run against the CBOR codec: ServiceLoader finds the provider,
 * samples survive a round trip, bad input fails with CodecException only, one instance serves many threads.
 */
class CborCodecConformanceTest extends CodecConformance {

    static final User JOKE = new User(999, 14990093, 2, "http://image.xxxx.xxx/t.gif", "Joke");

    @Override
    protected CodecProvider provider() {
        return new CborCodecProvider();
    }

    static Profile profile() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("logins", 42L);
        counters.put("posts", -7L);
        counters.put("bytes", Long.MAX_VALUE);
        return new Profile("Joke", true, (byte) -5, (byte) 0xf0, (short) 2026, (short) 0xfff0, -1, -1L,
                Long.MIN_VALUE, 1.5f, Math.PI, new byte[] {0, 1, (byte) 0xff},
                List.of(JOKE, new User(888, 10000999, 3, "http://image.xxxx.xxx/reply.gif", "Reply")),
                counters, List.of("vip", "水", "\ud83d\ude00"), new long[] {1, -1, 1L << 40}, JOKE, "hi");
    }

    @Override
    protected List<Sample> samples() {
        return List.of(
                Sample.of(new Reply(JOKE)),
                Sample.of(new Args(999)),
                Sample.of(new ProtoArgs(10, 20)),
                Sample.of(profile()),
                Sample.of(new Sized((byte) -128, (byte) 255, Short.MIN_VALUE, (short) 65535, Integer.MIN_VALUE, -1,
                        -1L)),
                Sample.of("List<User>", type("users"), List.of(JOKE, JOKE)),
                Sample.of("Map<String, User>", type("byName"), Map.of("joke", JOKE)),
                Sample.of("byte[]", byte[].class, new byte[] {1, 2, 3}),
                Sample.of("long[]", long[].class, new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}),
                Sample.of("Object", Object.class, Map.of("n", 1L, "s", "x", "f", 0.25, "b", true,
                        "l", List.of(1L, "two"), "m", Map.of("k", "v"))));
    }

    @Override
    protected Sample empty() {
        return Sample.of(new Profile("", false, (byte) 0, (byte) 0, (short) 0, (short) 0, 0, 0, 0, 0, 0,
                new byte[0], List.of(), Map.of(), List.of(), new long[0], new User(0, 0, 0, "", ""), ""));
    }

    @Override
    protected Sample withNulls() {
        return Sample.of(new Profile(null, false, (byte) 0, (byte) 0, (short) 0, (short) 0, 0, 0, 0, 0, 0,
                null, null, null, null, null, null, "")); // Note is omitempty: a nil string is Go's "" anyway
    }

    @Override
    protected Sample sized(int bytes) {
        return Sample.of(new Reply(new User(1, 2, 3, "x".repeat(bytes), "big")));
    }

    @Override
    protected List<byte[]> malformed() {
        return List.of(
                new byte[0],                                         // empty payload
                hex("ff"),                                           // a break outside an indefinite item
                hex("1c"),                                           // reserved additional information
                hex("a5"),                                           // a map of 5 pairs, nothing after
                hex("a1626964"),                                     // {"id": <missing>}
                hex("a162696463616263"),                             // {"id": "abc"}: text for an int64
                hex("a1626964f93c00"),                               // {"id": 1.0}: a float for an int64 (Go too)
                hex("a16269641903e700"),                             // a trailing byte (Go: ExtraneousDataError)
                hex("a16269645a7fffffff00"),                         // a byte string declaring 2 GiB
                hex("a1626964" + "9b00000000ffffffff"),              // an array declaring 4 Gi elements
                hex("a1657566616365" + "62c328"),                    // invalid UTF-8 in a text string
                hex("a1" + "7f6161"),                                // an unterminated indefinite-length key
                hex("81".repeat(40) + "00"));                        // 40 nested arrays for a struct
    }

    @Override
    protected void assertSameValue(Object expected, Object actual) {
        if (expected != null && expected.getClass().isArray()) {
            assertTrue(Objects.deepEquals(expected, actual), () -> "expected " + deep(expected) + " got " + deep(actual));
        } else {
            super.assertSameValue(expected, actual);
        }
    }

    private static String deep(Object o) {
        return Arrays.deepToString(new Object[] {o});
    }

    /** Generic field types to decode into: {@code List<User>}, {@code Map<String, User>}. */
    @SuppressWarnings("unused")
    private static final class Holder {
        List<User> users;
        Map<String, User> byName;
    }

    static Type type(String field) {
        try {
            return Holder.class.getDeclaredField(field).getGenericType();
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
