package rpcx.codec.msgpack;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import rpcx.api.spi.CodecProvider;
import rpcx.codec.msgpack.MsgpackCodecTest.Holder;
import rpcx.codec.msgpack.MsgpackCodecTest.Item;
import rpcx.codec.msgpack.MsgpackCodecTest.Order;
import rpcx.codec.msgpack.MsgpackCodecTest.Color;
import rpcx.testkit.CodecConformance;

/** The testkit's codec conformance suite over records shaped like Go structs. */
class MsgpackCodecConformanceTest extends CodecConformance {
    /** The first sample's type: malformed() is decoded into it. */
    record Account(long Id, String name, List<Item> items) {
    }

    @Override
    protected CodecProvider provider() {
        return new MsgpackCodecProvider();
    }

    @Override
    protected List<Sample> samples() {
        Order order = new Order(42, List.of(new Item("pen", 2), new Item("ink", 0)), Map.of("eur", 12L),
                new byte[] {1, 2, 3}, new Item("main", 1), Color.GREEN, true, List.of(-1L, Long.MAX_VALUE),
                new int[] {7, 8}, Instant.parse("2019-08-17T15:47:50Z"));
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

    @Override
    protected List<byte[]> malformed() {
        return List.of(new byte[] {(byte) 0xc1},                                 // 0xc1 is never used
                new byte[] {(byte) 0x81},                                 // a one-entry map with no entry
                new byte[] {(byte) 0x81, (byte) 0xa2, 0x49},              // a key string cut short
                new byte[] {(byte) 0x81, (byte) 0xa2, 0x49, 0x64, (byte) 0xdb, 0x7f, -1, -1, -1}, // str32 claims 2 GiB
                new byte[] {(byte) 0x81, (byte) 0xa2, 0x49, 0x64, (byte) 0xa1, 0x78}, // Id (int64) given a string
                new byte[] {(byte) 0x92, 0x01});
    }

    /** Captures a generic type. */
    abstract static class TypeRef<T> {
        java.lang.reflect.Type type() {
            return ((java.lang.reflect.ParameterizedType) getClass().getGenericSuperclass()).getActualTypeArguments()[0];
        }
    }
}
