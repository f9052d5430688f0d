package rpcx.codec.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rpcx.codec.json.JsonGoldenTest.CODEC;
import static rpcx.codec.json.JsonGoldenTest.dec;
import static rpcx.codec.json.JsonGoldenTest.enc;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import rpcx.api.GoField;
import rpcx.api.GoType;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.CodecException;
import rpcx.api.spi.CodecProvider;
import rpcx.api.spi.StructModel;
import rpcx.codec.json.JsonGoldenTest.Args;
import rpcx.codec.json.JsonGoldenTest.Reply;
import rpcx.codec.json.JsonGoldenTest.User;
import rpcx.codec.json.JsonGoldenTest.UserReply;

class JsonCodecTest {

    record Item(String name, int qty) {
    }

    enum Color { RED, GREEN }

    record Order(long id, List<Item> items, Map<String, Long> totals, byte[] blob, Item main, Color color,
                 boolean paid, double price, float ratio, Instant at) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Order x && id == x.id && items.equals(x.items) && totals.equals(x.totals)
                    && Arrays.equals(blob, x.blob) && main.equals(x.main) && color == x.color && paid == x.paid
                    && price == x.price && ratio == x.ratio && at.equals(x.at);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(id);
        }
    }

    record Tags(@GoField(json = "a,omitempty") int a, @GoField(json = "s,omitempty") String s,
                @GoField(json = "l,omitempty") List<String> l, @GoField(json = "-") int hidden,
                @GoField(json = "b,omitempty") boolean b, @GoField(json = "i,omitempty") Item i) {
    }

    record CaseDup(@GoField(json = "name") String lower, @GoField(json = "Name") String upper) {
    }

    record Big(@GoField(type = GoType.UINT64) long u64, long i64, @GoField(type = GoType.UINT32) int u32,
               BigInteger big) {
    }

    record Narrow(byte c) {
    }

    record Holder(Long boxed, String s, Item item, List<String> list, int n, boolean b, double d) {
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

    abstract static class TypeRef<T> {
        Type type() {
            return ((ParameterizedType) getClass().getGenericSuperclass()).getActualTypeArguments()[0];
        }
    }

    static CodecException decodeFails(String json, Type t) {
        return assertThrows(CodecException.class, () -> dec(json, t));
    }

    static void assertMessage(CodecException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------------ encoding

    @Test
    void compactOutputInDeclarationOrder() {
        assertEquals("{\"A\":1,\"B\":-2}", enc(new Args(1, -2)));
        assertEquals("{\"C\":0}", enc(StructModel.zeroValue(Reply.class)));
        assertEquals("null", enc(null));
        assertEquals("true", enc(true));
        assertEquals("9223372036854775807", enc(Long.MAX_VALUE));
        assertEquals("\"RED\"", enc(Color.RED));
        assertEquals("[1,2,3]", enc(List.of(1, 2, 3)));
        assertEquals("[1,2]", enc(new int[] {1, 2}));
        assertEquals("[\"a\",null]", enc(Arrays.asList("a", null)));
        assertEquals("{}", enc(Map.of()));
        assertEquals("[]", enc(List.of()));
    }

    @Test
    void stringsAreEscapedLikeGo() {
        assertEquals("\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\"", enc("<a href=\"x\">&</a>"));
        assertEquals("\"\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f\\\\\"", enc("\b\f\n\r\t\u0000\u0001\u001f\\"));
        assertEquals("\"a/b é 😀 \\u2028\\u2029\"", enc("a/b é 😀 \u2028\u2029"));
        String tricky = "<&>\u0001\u2028é😀\"\\/";
        assertEquals(tricky, dec(enc(tricky), String.class));
        assertEquals("{\"\\u003ck\\u003e\":1}", enc(Map.of("<k>", 1)), "keys are escaped too");
    }

    @Test
    void floatsAreFormattedLikeGo() {
        assertEquals("1.5", enc(1.5));
        assertEquals("200", enc(200.0));
        assertEquals("-0", enc(-0.0));
        assertEquals("0", enc(0.0));
        assertEquals("0.000001", enc(0.000001));
        assertEquals("1e-7", enc(0.0000001));
        assertEquals("1.5e-10", enc(1.5e-10));
        assertEquals("100000000000000000000", enc(1e20));
        assertEquals("1e+21", enc(1e21));
        assertEquals("1.2345e+25", enc(1.2345e25));
        assertEquals("123456789.125", enc(123456789.125));
        assertEquals("0.1", enc(0.1f), "float32 uses its own shortest form");
        assertEquals("0.10000000149011612", enc((double) 0.1f));
        assertEquals("3.4028235e+38", enc(Float.MAX_VALUE));
        assertEquals("5e-324", enc(Double.MIN_VALUE));
        assertMessage(assertThrows(CodecException.class, () -> CODEC.encode(Double.NaN)), "NaN", "unsupported");
        assertMessage(assertThrows(CodecException.class, () -> CODEC.encode(List.of(1.0, Double.POSITIVE_INFINITY))),
                "[1]", "Infinity");
    }

    @Test
    void bytesAreBase64() {
        assertEquals("\"AQID\"", enc(new byte[] {1, 2, 3}));
        assertEquals("\"\"", enc(new byte[0]));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) dec("\"AQID\"", byte[].class));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) dec("\"AQ\\nID\"", byte[].class), "line breaks skipped");
        assertArrayEquals(new byte[] {1, -1}, (byte[]) dec("[1,-1]", byte[].class));
        assertMessage(decodeFails("\"A*==\"", byte[].class), "base64");
    }

    @Test
    void mapKeysAreSortedLikeGo() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("b", 1);
        m.put("a", 2);
        m.put("B", 3);
        assertEquals("{\"B\":3,\"a\":2,\"b\":1}", enc(m));
        Map<Integer, String> im = new LinkedHashMap<>();
        im.put(2, "z");
        im.put(10, "y");
        im.put(1, "x");
        assertEquals("{\"1\":\"x\",\"10\":\"y\",\"2\":\"z\"}", enc(im));
        assertEquals(im, dec("{\"2\":\"z\",\"10\":\"y\",\"1\":\"x\"}", new TypeRef<Map<Integer, String>>() { }.type()));
        assertEquals(Map.of(Color.RED, 1L), dec("{\"RED\":1}", new TypeRef<Map<Color, Long>>() { }.type()));
        assertMessage(decodeFails("{\"x\":1}", new TypeRef<Map<Long, Long>>() { }.type()), "\"x\"", "Long");
        assertMessage(assertThrows(CodecException.class, () -> CODEC.encode(Map.of(List.of(), 1))), "keys");
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("k", null);
        assertEquals("{\"k\":null}", enc(withNull));
    }

    @Test
    void omitemptyAndHiddenFields() {
        assertEquals("{\"i\":{\"Name\":\"\",\"Qty\":0}}", enc(new Tags(0, "", List.of(), 7, false,
                new Item("", 0))), "structs are never empty; hidden fields never appear");
        assertEquals("{\"a\":1,\"s\":\"x\",\"l\":[\"y\"],\"b\":true}", enc(new Tags(1, "x", List.of("y"), 7, true,
                null)));
        Tags t = (Tags) dec("{\"a\":1,\"hidden\":5,\"-\":6}", Tags.class);
        assertEquals(0, t.hidden());
        assertEquals(1, t.a());
    }

    @Test
    void unsignedAndBigIntegers() {
        Big b = new Big(-1L, Long.MIN_VALUE, -1, new BigInteger("18446744073709551615"));
        String json = enc(b);
        assertEquals("{\"U64\":18446744073709551615,\"I64\":-9223372036854775808,\"U32\":4294967295,"
                + "\"Big\":18446744073709551615}", json);
        assertEquals(b, dec(json, Big.class));
        assertMessage(decodeFails("18446744073709551615", long.class), "does not fit", "UINT64");
        assertMessage(decodeFails("{\"C\":300}", Narrow.class), ".C", "300", "byte");
    }

    @Test
    void nestedValuesRoundTrip() {
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put("usd", -3L);
        totals.put("eur", 12L);
        Order o = new Order(42, List.of(new Item("a", 1), new Item("b", 2)), totals, new byte[] {9, 8},
                new Item("main", 3), Color.GREEN, true, 9.99, 0.25f,
                Instant.ofEpochSecond(1_700_000_000L, 120_000_000));
        String json = enc(o);
        assertEquals("{\"Id\":42,\"Items\":[{\"Name\":\"a\",\"Qty\":1},{\"Name\":\"b\",\"Qty\":2}],"
                + "\"Totals\":{\"eur\":12,\"usd\":-3},\"Blob\":\"CQg=\",\"Main\":{\"Name\":\"main\",\"Qty\":3},"
                + "\"Color\":\"GREEN\",\"Paid\":true,\"Price\":9.99,\"Ratio\":0.25,"
                + "\"At\":\"2023-11-14T22:13:20.12Z\"}", json);
        assertEquals(o, dec(json, Order.class));
        assertEquals(Instant.parse("2023-11-14T22:13:20Z"), dec("\"2023-11-15T00:13:20+02:00\"", Instant.class));
    }

    @Test
    void pojosRoundTrip() {
        Account a = new Account();
        a.setOwner("ann");
        a.setBalance(-5);
        a.tags = List.of("x");
        String json = enc(a);
        assertEquals("{\"Owner\":\"ann\",\"Balance\":-5,\"Tags\":[\"x\"]}", json);
        Account b = (Account) dec(json, Account.class);
        assertEquals("ann", b.getOwner());
        assertEquals(-5, b.getBalance());
        assertEquals(List.of("x"), b.tags);
    }

    @Test
    void referenceCyclesFailInsteadOfOverflowingTheStack() {
        Loop l = new Loop();
        l.next = l;
        assertMessage(assertThrows(CodecException.class, () -> CODEC.encode(l)), "deeper than", "Loop");
    }

    @Test
    void unsupportedValuesAreCodecExceptions() {
        assertMessage(assertThrows(CodecException.class, () -> CODEC.encode(new Object())), "java.lang.Object");
        assertMessage(assertThrows(CodecException.class, () -> CODEC.encode(List.of(Thread.currentThread()))),
                "[0]", "java.lang.Thread");
    }

    // ------------------------------------------------------------------------------------------------ decoding

    @Test
    void fieldNamesMatchExactlyThenCaseInsensitively() {
        assertEquals(new Args(10, 20), dec("{\"a\":10,\"b\":20}", Args.class));
        assertEquals(new Args(10, 20), dec("{\"A\":10,\"b\":20}", Args.class));
        assertEquals(new UserReply(new User(1, 5, 2, "", "")), dec("{\"ID\":1,\"AddTime\":5,\"UTYPE\":2}",
                UserReply.class));
        assertEquals(new CaseDup("y", "x"), dec("{\"Name\":\"x\",\"name\":\"y\"}", CaseDup.class));
        assertEquals(new CaseDup("z", ""), dec("{\"NAME\":\"z\"}", CaseDup.class), "first field in order wins");
        assertEquals(new Args(0, 20), dec("{\"UID\":1,\"B\":20}", Args.class), "unknown keys skipped");
    }

    @Test
    void numbersAreAcceptedFlexibly() {
        assertEquals(new Args(10, 20), dec("{\"A\":10.0,\"B\":2e1}", Args.class));
        assertEquals(new Reply(200), dec("{\"C\":2.00E2}", Reply.class));
        assertEquals(1.0, dec("1", double.class));
        assertEquals(0.25f, dec("0.25", float.class));
        assertEquals(new BigInteger("123456789012345678901234567890"), dec("123456789012345678901234567890",
                BigInteger.class));
        assertMessage(decodeFails("{\"A\":1.5}", Args.class), ".A", "1.5", "not an integer");
        assertMessage(decodeFails("{\"A\":\"10\"}", Args.class), ".A", "expected a number", "string");
        assertMessage(decodeFails("{\"A\":1e400}", Args.class), ".A");
        assertMessage(decodeFails("1e999999999", int.class), "not an integer");
        assertMessage(decodeFails("1e400", double.class), "out of range");
        assertMessage(decodeFails("2147483648", int.class), "2147483648", "int");
    }

    @Test
    void nullIsZeroForPrimitivesAndNullOtherwise() {
        Holder h = (Holder) dec("{\"Boxed\":null,\"S\":null,\"Item\":null,\"List\":null,\"N\":null,\"B\":null,"
                + "\"D\":null}", Holder.class);
        assertEquals(new Holder(null, null, null, null, 0, false, 0.0), h);
        assertEquals(new Holder(0L, "", new Item("", 0), null, 0, false, 0.0), dec("{}", Holder.class),
                "missing fields are Go zero values");
        assertNull(dec("null", Args.class));
        assertEquals(0L, dec("null", long.class));
    }

    @Test
    void naturalJavaValuesForObject() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", 1L);
        expected.put("b", 1.5);
        expected.put("c", "x");
        expected.put("d", Arrays.asList(true, null));
        expected.put("e", Map.of());
        expected.put("f", new BigInteger("99999999999999999999"));
        assertEquals(expected, dec("{\"a\":1,\"b\":1.5,\"c\":\"x\",\"d\":[true,null],\"e\":{},"
                + "\"f\":99999999999999999999}", Object.class));
        assertEquals(5L, dec("5", Number.class));
        assertMessage(decodeFails("\"x\"", Number.class), "Number");
    }

    @Test
    void collectionsAndArrays() {
        assertEquals(List.of(new Item("x", 1)), dec("[{\"name\":\"x\",\"qty\":1}]",
                new TypeRef<List<Item>>() { }.type()));
        assertArrayEquals(new long[] {1, 2}, (long[]) dec("[1,2]", long[].class));
        assertArrayEquals(new int[] {1, 0}, (int[]) dec("[1,null]", int[].class));
        assertArrayEquals(new String[] {"a", null}, (String[]) dec("[\"a\",null]", String[].class));
        assertEquals(Color.GREEN, dec("\"GREEN\"", Color.class));
        assertEquals(Color.GREEN, dec("1", Color.class));
        assertMessage(decodeFails("\"BLUE\"", Color.class), "BLUE", "RED");
        assertMessage(decodeFails("{\"L\":[\"a\",1]}", new TypeRef<Map<String, List<String>>>() { }.type()),
                "[L][1]", "expected a string");
    }

    @Test
    void badInputIsAlwaysACodecException() {
        assertMessage(assertThrows(CodecException.class, () -> CODEC.decode(new byte[0], Args.class)), "empty");
        assertMessage(decodeFails("   ", Args.class), "empty");
        assertMessage(decodeFails("xyz", Args.class), "invalid JSON");
        assertMessage(decodeFails("{\"A\":", Args.class), "invalid JSON");
        assertMessage(decodeFails("[1,2]", Args.class), "expected an object", "array");
        assertMessage(decodeFails("{\"A\":[1]}", Args.class), ".A", "expected a number", "array");
        assertMessage(decodeFails("[".repeat(100_000), Object.class), "nest");
        byte[] full = JsonGoldenTest.USER_INFO.getBytes(StandardCharsets.UTF_8);
        for (int n = 0; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n);
            CodecException e = assertThrows(CodecException.class, () -> CODEC.decode(cut, UserReply.class),
                    "prefix of " + n + " bytes");
            assertTrue(e.getMessage().startsWith("json: cannot decode"), e.getMessage());
        }
        assertThrows(CodecException.class, () -> CODEC.decode("1".getBytes(), null));
    }

    @Test
    void randomBytesNeverEscapeAsAnotherException() {
        Random r = new Random(7);
        Type[] types = {Object.class, Args.class, UserReply.class, long.class, String.class, byte[].class,
            new TypeRef<List<Item>>() { }.type(), new TypeRef<Map<String, Long>>() { }.type(), Big.class,
            Color.class, int[].class, Instant.class};
        String alphabet = "{}[]\":,0123456789.eE-+ntrufalsAB\\u ";
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[1 + r.nextInt(24)];
            if (i % 2 == 0) {
                r.nextBytes(b);
            } else {
                for (int j = 0; j < b.length; j++) {
                    b[j] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
                }
            }
            Type t = types[i % types.length];
            try {
                CODEC.decode(b, t);
            } catch (CodecException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
            } catch (RuntimeException | Error other) {
                throw new AssertionError("decoding " + new String(b, StandardCharsets.ISO_8859_1) + " into " + t
                        + " threw " + other, other);
            }
        }
    }

    @Test
    void trailingDataIsIgnoredLikeGoRpcx() {
        assertEquals(new Reply(1), dec("{\"C\":1} trailing", Reply.class));
    }

    // ------------------------------------------------------------------------------------------------ provider

    @Test
    void providerIsFoundAndDescribesItself() {
        CodecProvider p = ServiceLoader.load(CodecProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("json")).findFirst().orElseThrow();
        assertInstanceOf(JsonCodecProvider.class, p);
        assertEquals(SerializeType.JSON, p.serializeType());
        assertEquals(1, p.serializeType());
        assertTrue(p.isAvailable());
        assertSame(p.create(), new JsonCodecProvider().create());
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
}
