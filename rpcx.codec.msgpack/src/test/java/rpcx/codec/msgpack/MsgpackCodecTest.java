package rpcx.codec.msgpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rpcx.codec.msgpack.MsgpackGoldenTest.CODEC;
import static rpcx.codec.msgpack.MsgpackGoldenTest.hex;

import java.lang.reflect.Type;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import rpcx.api.GoField;
import rpcx.api.GoType;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.CodecException;
import rpcx.api.spi.CodecProvider;
import rpcx.codec.msgpack.MsgpackGoldenTest.Args;
import rpcx.codec.msgpack.MsgpackGoldenTest.Reply;
import rpcx.codec.msgpack.MsgpackGoldenTest.UserReply;

class MsgpackCodecTest {

    record Widths(@GoField(type = GoType.INT8) byte i8, @GoField(type = GoType.INT16) short i16,
                  @GoField(type = GoType.INT32) int i32, @GoField(type = GoType.INT64) long i64,
                  @GoField(type = GoType.UINT8) int u8, @GoField(type = GoType.UINT16) int u16,
                  @GoField(type = GoType.UINT32) long u32, @GoField(type = GoType.UINT64) long u64,
                  @GoField(type = GoType.INT) long goInt, @GoField(type = GoType.UINT) long goUint) {
    }

    record Floats(float f32, double f64, @GoField(type = GoType.FLOAT32) double narrowed) {
    }

    record Narrow(@GoField(type = GoType.INT8) int x) {
    }

    record Unsigned(@GoField(type = GoType.UINT8) byte b, @GoField(type = GoType.UINT32) int i,
                    @GoField(type = GoType.UINT64) long l) {
    }

    record Item(String name, int qty) {
    }

    enum Color { RED, GREEN }

    record Order(long id, List<Item> items, Map<String, Long> totals, byte[] blob, Item main, Color color,
                 boolean paid, List<Long> codes, int[] small, Instant at) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Order x && id == x.id && items.equals(x.items) && totals.equals(x.totals)
                    && Arrays.equals(blob, x.blob) && main.equals(x.main) && color == x.color && paid == x.paid
                    && codes.equals(x.codes) && Arrays.equals(small, x.small) && at.equals(x.at);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(id);
        }
    }

    record Holder(Long boxed, String s, Item item, List<String> list, int n, boolean b, double d) {
    }

    record Typed(@GoField(type = GoType.INT32) List<Integer> ids, Map<String, Integer> counts) {
    }

    /** A POJO with getters and setters. */
    public static class Account {
        private String owner;
        private long balance;
        public List<String> tags;

        public Account() {
        }

        public String getOwner() {
            return owner;
        }

        public void setOwner(String owner) {
            this.owner = owner;
        }

        public long getBalance() {
            return balance;
        }

        public void setBalance(long balance) {
            this.balance = balance;
        }
    }

    /** A POJO that can point at itself. */
    public static class Loop {
        public Loop next;

        public Loop() {
        }
    }

    record Positive(int n) {
        Positive {
            if (n < 0) {
                throw new IllegalArgumentException("n must not be negative");
            }
        }
    }

    static String enc(Object v) {
        return hex(CODEC.encode(v));
    }

    static Object dec(String hex, Type t) {
        return CODEC.decode(hex(hex), t);
    }

    static CodecException decodeFails(String hex, Type t) {
        return assertThrows(CodecException.class, () -> dec(hex, t));
    }

    static void assertMessage(CodecException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------------ encoding

    @Test
    void goIntIsCompact() {
        String[][] cases = {
            {"0", "00"}, {"127", "7f"}, {"128", "cc80"}, {"255", "ccff"}, {"256", "cd0100"}, {"65535", "cdffff"},
            {"65536", "ce00010000"}, {"-1", "ff"}, {"-32", "e0"}, {"-33", "d0df"}, {"-128", "d080"},
            {"-129", "d1ff7f"}, {"-32768", "d18000"}, {"-32769", "d2ffff7fff"}, {"2147483647", "ce7fffffff"},
            {"-2147483648", "d280000000"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], enc(Integer.parseInt(c[0])), "Go int " + c[0]);
        }
        assertEquals("81a143ccc8", enc(new Reply(200)));
        assertEquals("0a", enc((short) 10));
        assertEquals("ff", enc((byte) -1));
    }

    @Test
    void sizedGoIntegersUseFixedWidths() {
        Widths w = new Widths((byte) 1, (short) 2, 3, 4, 5, 6, 7, 8, 1L << 40, -1L);
        String expected = "8a"
                + "a24938" + "d001"
                + "a3493136" + "d10002"
                + "a3493332" + "d200000003"
                + "a3493634" + "d30000000000000004"
                + "a25538" + "cc05"
                + "a3553136" + "cd0006"
                + "a3553332" + "ce00000007"
                + "a3553634" + "cf0000000000000008"
                + "a5476f496e74" + "cf0000010000000000"
                + "a6476f55696e74" + "cfffffffffffffffff";
        assertEquals(expected, enc(w));
        assertEquals(w, dec(expected, Widths.class));
    }

    @Test
    void unsignedValuesUseTheJavaBitsOfTheSameWidth() {
        Unsigned u = new Unsigned((byte) -1, -1, -1L);
        String bytes = enc(u);
        assertEquals("83a142ccffa149ceffffffffa14ccfffffffffffffffff", bytes);
        assertEquals(u, dec(bytes, Unsigned.class));
        CodecException e = assertThrows(CodecException.class, () -> CODEC.encode(new Widths((byte) 0, (short) 0, 0,
                0, -1, 0, 0, 0, 0, 0)));
        assertMessage(e, ".U8", "negative", "uint8");
    }

    @Test
    void valuesOutsideTheDeclaredGoTypeAreRejected() {
        CodecException e = assertThrows(CodecException.class, () -> CODEC.encode(new Narrow(300)));
        assertMessage(e, "Narrow", ".X", "300", "int8");
        assertEquals("81a158d07f", enc(new Narrow(127)));
    }

    @Test
    void floats() {
        assertEquals("ca3fc00000", enc(1.5f));
        assertEquals("cb3ff8000000000000", enc(1.5d));
        assertEquals("83a3463332ca3fc00000a3463634cb3ff8000000000000a84e6172726f776564ca3fc00000",
                enc(new Floats(1.5f, 1.5, 1.5)));
        assertEquals(new Floats(1.5f, 1.5, 1.5), dec(enc(new Floats(1.5f, 1.5, 1.5)), Floats.class));
    }

    @Test
    void stringsUseFixstrThenStr8Str16Str32() {
        assertEquals("a0", enc(""));
        assertEquals("bf" + "61".repeat(31), enc("a".repeat(31)));
        assertEquals("d920" + "61".repeat(32), enc("a".repeat(32)));
        assertEquals("d9ff" + "61".repeat(255), enc("a".repeat(255)));
        assertEquals("da0100" + "61".repeat(256), enc("a".repeat(256)));
        assertEquals("da0258" + "61".repeat(600), enc("a".repeat(600)));
        assertTrue(enc("a".repeat(65536)).startsWith("db00010000"));
        assertEquals("a3e282ac", enc("€"), "length counts UTF-8 bytes");
        for (int n : new int[] {0, 31, 32, 255, 256, 600, 65535, 65536}) {
            String s = "é".repeat(n / 2) + "x".repeat(n % 2);
            assertEquals(s, dec(enc(s), String.class));
        }
    }

    @Test
    void bytesUseBin() {
        assertEquals("c40401020304", enc(new byte[] {1, 2, 3, 4}));
        assertEquals("c400", enc(new byte[0]));
        assertTrue(enc(new byte[256]).startsWith("c50100"));
        assertTrue(enc(new byte[65536]).startsWith("c600010000"));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) dec("c4020102", byte[].class));
        assertArrayEquals("hi".getBytes(), (byte[]) dec("a26869", byte[].class), "str into []byte");
        assertArrayEquals(new byte[] {1, -1}, (byte[]) dec("9201ff", byte[].class), "array of ints into []byte");
    }

    @Test
    void scalarsAndNil() {
        assertEquals("c0", enc(null));
        assertEquals("c3", enc(true));
        assertEquals("c2", enc(false));
        assertEquals("a3524544", enc(Color.RED));
        assertEquals(Color.GREEN, dec("a5475245454e", Color.class));
        assertEquals(Color.GREEN, dec("01", Color.class), "an integer is an ordinal");
        assertMessage(decodeFails("a4424c5545", Color.class), "\"BLUE\"", "Color", "RED", "GREEN");
        assertEquals("d2000000e9", enc('é'), "char is a Go rune (int32)");
        assertEquals('é', dec("cce9", char.class));
    }

    @Test
    void collectionsArraysAndMaps() {
        assertEquals("93010203", enc(List.of(1, 2, 3)));
        assertEquals("92d30000000000000001d30000000000000002", enc(List.of(1L, 2L)));
        assertEquals("92d30000000000000001d30000000000000002", enc(new long[] {1, 2}));
        assertEquals("920102", enc(new int[] {1, 2}));
        assertEquals("92a161a162", enc(new String[] {"a", "b"}));
        assertEquals("93c3c2c3", enc(new boolean[] {true, false, true}));
        assertTrue(enc(new int[16]).startsWith("dc0010"));
        assertTrue(enc(new int[65536]).startsWith("dd00010000"));
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("k", 7L);
        assertEquals("81a16bd30000000000000007", enc(m));
        Map<Integer, String> im = new TreeMap<>();
        for (int i = 0; i < 16; i++) {
            im.put(i, "v");
        }
        assertTrue(enc(im).startsWith("de001000a176"));
        assertEquals(im, dec(enc(im), new TypeRef<Map<Integer, String>>() { }.type()));
        assertEquals(Map.of("k", 7L), dec("81a16b07", new TypeRef<Map<String, Long>>() { }.type()));
        assertEquals(List.of(1L, 300L), dec("9201cd012c", new TypeRef<List<Long>>() { }.type()));
        assertEquals(Set.of("a", "b"), dec("92a161a162", new TypeRef<Set<String>>() { }.type()));
        assertInstanceOf(TreeMap.class, dec("81a16b07", new TypeRef<SortedMap<String, Integer>>() { }.type()));
        assertArrayEquals(new long[] {1, 300}, (long[]) dec("9201cd012c", long[].class));
        assertArrayEquals(new Integer[] {1, null}, (Integer[]) dec("9201c0", Integer[].class));
        assertArrayEquals(new int[] {1, 0}, (int[]) dec("9201c0", int[].class), "nil element of int[] is 0");
        assertEquals(List.of(new Item("x", 1)), dec("9182a44e616d65a178a3517479" + "01",
                new TypeRef<List<Item>>() { }.type()));
    }

    @Test
    void goTypeAppliesToNumberElements() {
        Typed t = new Typed(List.of(1, 2), Map.of("a", 1));
        String bytes = enc(t);
        assertEquals("82a3496473" + "92d200000001d200000002" + "a6436f756e7473" + "81a16101", bytes);
        assertEquals(t, dec(bytes, Typed.class));
    }

    @Test
    void nestedStructsRoundTrip() {
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put("eur", 12L);
        totals.put("usd", -3L);
        Order o = new Order(42, List.of(new Item("a", 1), new Item("b", 2)), totals, new byte[] {9, 8},
                new Item("main", 3), Color.GREEN, true, List.of(5L), new int[] {7, 8},
                Instant.ofEpochSecond(1_700_000_000L, 123_000_000));
        byte[] bytes = CODEC.encode(o);
        assertEquals(o, CODEC.decode(bytes, Order.class));
        String h = hex(bytes);
        assertTrue(h.startsWith("8aa24964d3000000000000002a"), h);
        assertTrue(h.contains("a5436f6c6f72a5475245454e"), "enum as its name: " + h);
        assertTrue(h.contains("a24174d7ff"), "Instant as timestamp ext -1 (fixext8 d7 ff): " + h);
    }

    @Test
    void pojosRoundTrip() {
        Account a = new Account();
        a.setOwner("ann");
        a.setBalance(-5);
        a.tags = List.of("x");
        String bytes = enc(a);
        assertEquals("83a54f776e6572a3616e6ea742616c616e6365d3fffffffffffffffba45461677391a178", bytes);
        Account b = (Account) dec(bytes, Account.class);
        assertEquals("ann", b.getOwner());
        assertEquals(-5, b.getBalance());
        assertEquals(List.of("x"), b.tags);
    }

    @Test
    void referenceCyclesFailInsteadOfOverflowingTheStack() {
        Loop l = new Loop();
        l.next = l;
        CodecException e = assertThrows(CodecException.class, () -> CODEC.encode(l));
        assertMessage(e, "deeper than", "Loop");
    }

    @Test
    void unsupportedValuesAreCodecExceptions() {
        assertMessage(assertThrows(CodecException.class, () -> CODEC.encode(new Object())), "java.lang.Object");
        assertMessage(assertThrows(CodecException.class, () -> CODEC.encode(List.of(new Item("a", 1),
                Thread.currentThread()))), "[1]", "java.lang.Thread");
        assertMessage(decodeFails("01", Thread.class), "Thread");
    }

    // ------------------------------------------------------------------------------------------------ decoding

    @Test
    void everyIntegerWidthDecodesIntoEveryIntegerType() {
        String[][] forms = {
            {"05", "5"}, {"cc05", "5"}, {"cd0005", "5"}, {"ce00000005", "5"}, {"cf0000000000000005", "5"},
            {"d005", "5"}, {"d10005", "5"}, {"d200000005", "5"}, {"d30000000000000005", "5"},
            {"fb", "-5"}, {"d0fb", "-5"}, {"d1fffb", "-5"}, {"d2fffffffb", "-5"}, {"d3fffffffffffffffb", "-5"},
            {"ca40a00000", "5"}, {"cb4014000000000000", "5"},
        };
        for (String[] f : forms) {
            long v = Long.parseLong(f[1]);
            assertEquals(v, dec(f[0], long.class), f[0]);
            assertEquals(v, dec(f[0], Long.class), f[0]);
            assertEquals((int) v, dec(f[0], int.class), f[0]);
            assertEquals((short) v, dec(f[0], Short.class), f[0]);
            assertEquals((byte) v, dec(f[0], byte.class), f[0]);
            assertEquals((double) v, dec(f[0], double.class), f[0]);
            assertEquals((float) v, dec(f[0], Float.class), f[0]);
            assertEquals(BigInteger.valueOf(v), dec(f[0], BigInteger.class), f[0]);
        }
        assertEquals(new Reply(200), dec("81a143d3" + "00000000000000c8", Reply.class), "int64 into Go int");
        assertEquals(new Reply(200), dec("81a143cd00c8", Reply.class));
        assertEquals(1.25, dec("ca3fa00000", double.class), "float32 into double");
        assertEquals(1.25f, dec("cb3ff4000000000000", float.class), "float64 into float");
    }

    @Test
    void integerRangeErrors() {
        assertMessage(decodeFails("cd012c", byte.class), "300", "byte");
        assertMessage(decodeFails("81a143cd012c", Narrow2.class), ".C", "300", "byte");
        assertMessage(decodeFails("ce80000000", int.class), "2147483648", "int");
        assertMessage(decodeFails("cfffffffffffffffff", long.class), "18446744073709551615", "UINT64");
        assertMessage(decodeFails("cb3ff8000000000000", int.class), "1.5", "not an integer");
        assertMessage(decodeFails("ff", char.class), "char");
        assertEquals(new Unsigned1(-1L), dec("81a14ccfffffffffffffffff", Unsigned1.class), "uint64 bits in a long");
        assertEquals(new BigInteger("18446744073709551615"), dec("cfffffffffffffffff", BigInteger.class));
        assertEquals(new BigInteger("18446744073709551615"), dec("cfffffffffffffffff", Object.class));
        assertEquals(255, dec("ccff", int.class));
        assertEquals((byte) -1, ((Unsigned) dec("81a142ccff", Unsigned.class)).b(), "uint8 255 into a byte");
    }

    record Narrow2(byte c) {
    }

    record Unsigned1(@GoField(type = GoType.UINT64) long l) {
    }

    @Test
    void nilDecodesToZeroForPrimitivesAndNullOtherwise() {
        Holder h = (Holder) dec("87a5426f786564c0a153c0a44974656dc0a44c697374c0a14ec0a142c0a144c0", Holder.class);
        assertEquals(new Holder(null, null, null, null, 0, false, 0.0), h);
        assertEquals(0L, dec("c0", long.class));
        assertEquals(false, dec("c0", boolean.class));
        assertNull(dec("c0", Long.class));
        assertNull(dec("c0", Args.class));
        assertNull(dec("c0", Object.class));
    }

    @Test
    void missingKeysAreGoZeroValues() {
        Holder h = (Holder) dec("80", Holder.class);
        assertEquals(new Holder(0L, "", new Item("", 0), null, 0, false, 0.0), h);
    }

    @Test
    void unknownKeysAreSkippedAndMatchingIsCaseSensitive() {
        String bytes = "85" + "a15a" + "82a178930102" + "03a179c0" // Z: {x:[1,2,3], y:nil}
                + "a141" + "0a"
                + "a161" + "63" // "a" is not "A"
                + "a3585858" + "c4020102" // XXX: bin
                + "a142" + "14";
        assertEquals(new Args(10, 20), dec(bytes, Args.class));
    }

    @Test
    void keysInAnyOrderAsBinaryOrLongerThanTheKeyBufferStillMatch() {
        String longKey = "d950" + "41".repeat(80); // an unknown 80-byte key: the key buffer grows
        assertEquals(new Args(10, 20), dec("83" + "a142" + "14" + longKey + "c0" + "c40141" + "0a", Args.class),
                "B before A, A as a bin key");
        assertEquals(new Args(10, 20), dec("82a1410aa14214", Args.class), "field order, the fast path");
    }

    @Test
    void arrayEncodedStructsArePositional() {
        assertEquals(new Args(10, 20), dec("920a14", Args.class));
        assertEquals(new Args(10, 0), dec("910a", Args.class));
        assertEquals(new Args(10, 20), dec("930a14a3787878", Args.class), "extra elements skipped");
        assertEquals(new UserReply(MsgpackGoldenTest.JOKE), dec("9501ce00e4bb0d02bb687474703a2f2f696d6167652e"
                + "787878782e7878782f742e676966a44a6f6b65", UserReply.class));
    }

    @Test
    void naturalJavaValuesForObject() {
        Object v = dec("89" + "a169" + "01" + "a166" + "cb3ff8000000000000" + "a173" + "a178" + "a162" + "c40101"
                + "a16c" + "920102" + "a16d" + "8101a178" + "a174" + "c3" + "a16e" + "c0" + "a177" + "ca3fc00000",
                Object.class);
        Map<Object, Object> expected = new LinkedHashMap<>();
        expected.put("i", 1L);
        expected.put("f", 1.5);
        expected.put("s", "x");
        expected.put("b", null);
        expected.put("l", List.of(1L, 2L));
        expected.put("m", Map.of(1L, "x"));
        expected.put("t", true);
        expected.put("n", null);
        expected.put("w", 1.5);
        Map<?, ?> got = (Map<?, ?>) v;
        assertArrayEquals(new byte[] {1}, (byte[]) got.get("b"));
        expected.put("b", got.get("b"));
        assertEquals(expected, got);
        assertEquals(Instant.ofEpochSecond(1), dec("d6ff00000001", Object.class));
        assertEquals(Instant.ofEpochSecond(1), dec("d6ff00000001", Instant.class));
        assertMessage(decodeFails("d40501", Object.class), "extension type 5");
        Object n = dec("05", Number.class);
        assertEquals(5L, n);
        assertMessage(decodeFails("a178", Number.class), "Number");
    }

    @Test
    void wrongTypesNameThePathAndTheProblem() {
        assertMessage(decodeFails("82a141a178a14214", Args.class), "Args", ".A", "expected an integer", "string");
        assertMessage(decodeFails("a178", Args.class), "expected a map", "string");
        assertMessage(decodeFails("81a14c93a178a179c3", new TypeRef<Map<String, List<String>>>() { }.type()),
                "[L][2]", "expected a string", "boolean");
        assertMessage(decodeFails("8101a141", Args.class), "map keys must be strings");
        assertMessage(decodeFails("01", String.class), "expected a string", "integer");
        assertMessage(decodeFails("a3747275", boolean.class), "expected a boolean");
        assertMessage(decodeFails("01", new TypeRef<List<String>>() { }.type()), "expected an array");
        assertMessage(decodeFails("81a14eff", Positive.class), "n must not be negative");
    }

    @Test
    void badInputIsAlwaysACodecException() {
        assertMessage(assertThrows(CodecException.class, () -> CODEC.decode(new byte[0], Args.class)), "empty");
        assertMessage(decodeFails("c1", Object.class), "0xc1");
        assertMessage(decodeFails("db7fffffff61", String.class), "bytes are left");
        decodeFails("dbffffffff61", String.class);
        assertMessage(decodeFails("c67fffffff", byte[].class), "bytes are left");
        decodeFails("c6ffffffff", byte[].class);
        assertMessage(decodeFails("dd7fffffff", Object.class), "bytes are left");
        decodeFails("ddffffffff", Object.class);
        assertMessage(decodeFails("dd7fffffff01", new TypeRef<List<Long>>() { }.type()), "bytes are left");
        assertMessage(decodeFails("df7fffffff01", Args.class), "bytes are left");
        assertMessage(decodeFails("91".repeat(100_000) + "c0", Object.class), "nested deeper");
        byte[] full = hex(MsgpackGoldenTest.USER_INFO);
        for (int n = 1; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n);
            CodecException e = assertThrows(CodecException.class, () -> CODEC.decode(cut, UserReply.class),
                    "prefix of " + n + " bytes");
            assertTrue(e.getMessage().startsWith("msgpack: cannot decode"), e.getMessage());
        }
        assertMessage(assertThrows(CodecException.class, () -> CODEC.decode(Arrays.copyOf(full, 40),
                UserReply.class)), "truncated");
        assertThrows(CodecException.class, () -> CODEC.decode(hex("01"), null));
    }

    @Test
    void randomBytesNeverEscapeAsAnotherException() {
        Random r = new Random(42);
        Type[] types = {Object.class, Args.class, UserReply.class, long.class, String.class, byte[].class,
            new TypeRef<List<Item>>() { }.type(), new TypeRef<Map<String, Long>>() { }.type(), Widths.class,
            Color.class, int[].class};
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[1 + r.nextInt(24)];
            r.nextBytes(b);
            Type t = types[i % types.length];
            try {
                CODEC.decode(b, t);
            } catch (CodecException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
            } catch (RuntimeException | Error other) {
                throw new AssertionError("decoding " + hex(b) + " into " + t + " threw " + other, other);
            }
        }
    }

    @Test
    void trailingBytesAreIgnoredLikeGo() {
        assertEquals(5L, dec("0506", long.class));
    }

    // ------------------------------------------------------------------------------------------------ provider

    @Test
    void providerIsFoundAndDescribesItself() {
        CodecProvider p = ServiceLoader.load(CodecProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("msgpack")).findFirst().orElseThrow();
        assertInstanceOf(MsgpackCodecProvider.class, p);
        assertEquals(SerializeType.MSGPACK, p.serializeType());
        assertEquals(3, p.serializeType());
        assertTrue(p.isAvailable());
        assertSame(p.create(), new MsgpackCodecProvider().create(), "stateless codec is shared");
    }

    @Test
    void concurrentUseIsSafe() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            int seed = t;
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 2000; i++) {
                        Args a = new Args(seed, i);
                        assertEquals(a, CODEC.decode(CODEC.encode(a), Args.class));
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(List.of(), errors);
    }

    /** Captures a generic type: {@code new TypeRef<List<Foo>>() { }.type()}. */
    abstract static class TypeRef<T> {
        Type type() {
            return ((java.lang.reflect.ParameterizedType) getClass().getGenericSuperclass())
                    .getActualTypeArguments()[0];
        }
    }
}
