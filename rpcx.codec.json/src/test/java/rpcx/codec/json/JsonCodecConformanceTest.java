package rpcx.codec.json;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import rpcx.api.spi.CodecProvider;
import rpcx.codec.json.JsonCodecTest.Holder;
import rpcx.codec.json.JsonCodecTest.Item;
import rpcx.codec.json.JsonCodecTest.Order;
import rpcx.codec.json.JsonCodecTest.Color;
import rpcx.testkit.CodecConformance;

/** The testkit's codec conformance suite over records shaped like Go structs. */
class JsonCodecConformanceTest extends CodecConformance {
    /** The first sample's type: malformed() is decoded into it. */
    record Account(long Id, String name, List<Item> items) {
    }

    @Override
    protected CodecProvider provider() {
        return new JsonCodecProvider();
    }

    @Override
    protected List<Sample> samples() {
        Order order = new Order(42, List.of(new Item("pen", 2), new Item("ink", 0)), Map.of("eur", 12L),
                new byte[] {1, 2, 3}, new Item("main", 1), Color.GREEN, true, 0.1, 1.25f, Instant.parse("2019-08-17T15:47:50Z"));
        return List.of(Sample.of(new Account(999, "Joke", List.of(new Item("x", 1)))), Sample.of(order),
                Sample.of(new Holder(7L, "s", new Item("i", 3), List.of("a", ""), -5, true, 1.5)),
                Sample.of("list of structs", new TypeRef<List<Item>>() { }.type(), List.of(new Item("a", 1))),
                Sample.of("map", new TypeRef<Map<String, Long>>() { }.type(), Map.of("k", -1L)));
    }

    @Override
    protected Sample empty() {
        return Sample.of(new Holder(null, "", null, null, 0, false, 0));
    }

    @Override
    protected Sample withNulls() {
        return Sample.of(new Account(1, null, null));
    }

    @Override
    protected Sample sized(int bytes) {
        return Sample.of(new Account(1, "x".repeat(bytes), List.of()));
    }

    /** Not here: {@code {"Id":1}}} with trailing bytes, which Go's json.Decoder (and so this codec) accepts. */
    @Override
    protected List<byte[]> malformed() {
        return List.of("{".getBytes(UTF_8), "{\"Id\":}".getBytes(UTF_8), "[1,2".getBytes(UTF_8), "nul".getBytes(UTF_8),
                "{\"Id\":\"x\"}".getBytes(UTF_8), new byte[] {(byte) 0xff, (byte) 0xfe});
    }

    /** Captures a generic type. */
    abstract static class TypeRef<T> {
        java.lang.reflect.Type type() {
            return ((java.lang.reflect.ParameterizedType) getClass().getGenericSuperclass()).getActualTypeArguments()[0];
        }
    }
}
