package rpcx.codec.thrift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;

import org.apache.thrift.TDeserializer;
import org.apache.thrift.TSerializer;
import org.apache.thrift.TUnion;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.junit.jupiter.api.Test;

import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Codec;
import rpcx.api.spi.CodecException;
import rpcx.api.spi.CodecProvider;
import rpcx.codec.thrift.testtypes.Inner;
import rpcx.codec.thrift.testtypes.Rich;
import rpcx.codec.thrift.testtypes.RichHead;
import rpcx.codec.thrift.testtypes.ThriftArgs;
import rpcx.codec.thrift.testtypes.ThriftReply;

class ThriftCodecTest {
    private final Codec codec = new ThriftCodecProvider().create();

    @Test
    void providerIsSerializeTypeFourNamedThrift() {
        CodecProvider p = new ThriftCodecProvider();
        assertEquals(4, p.serializeType());
        assertEquals(SerializeType.THRIFT, p.serializeType());
        assertEquals("thrift", p.name());
        assertSame(p.create(), new ThriftCodecProvider().create(), "one shared, stateless codec");
        assertTrue(ServiceLoader.load(CodecProvider.class).stream().anyMatch(q -> q.type() == ThriftCodecProvider.class));
    }

    @Test
    void aValueThatIsNotAThriftStructIsRefusedWithAnActionableMessage() {
        CodecException e = assertThrows(CodecException.class, () -> codec.encode("a string"));
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
        assertTrue(e.getMessage().contains("org.apache.thrift.TBase"), e.getMessage());
        assertThrows(CodecException.class, () -> codec.encode(null));
        assertThrows(CodecException.class, () -> codec.encode(new byte[] {8, 0, 1}));
    }

    @Test
    void aStructThatCannotBeWrittenFailsWithCodecException() {
        Rich nullElement = new Rich().setTags(Arrays.asList("a", null));
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(nullElement));
        assertTrue(e.getMessage().contains(Rich.class.getName()), e.getMessage());
    }

    @Test
    void decodingIntoATypeThatIsNotAThriftStructFailsWithCodecException() {
        byte[] bytes = codec.encode(new ThriftArgs(10, 20));
        for (Class<?> type : List.of(String.class, Object.class, int.class, TUnion.class, org.apache.thrift.TBase.class)) {
            CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes, type), type::getName);
            assertTrue(e.getMessage().contains(type.getName()), e.getMessage());
        }
        // asked twice: the cached failure is thrown again, with a fresh stack trace
        CodecException first = assertThrows(CodecException.class, () -> codec.decode(bytes, String.class));
        CodecException second = assertThrows(CodecException.class, () -> codec.decode(bytes, String.class));
        assertNotSame(first, second);
        assertEquals(first.getMessage(), second.getMessage());
        assertThrows(CodecException.class, () -> codec.decode(bytes, null));
    }

    @Test
    void aClassWithoutAPublicNoArgumentConstructorIsRefused() {
        byte[] bytes = codec.encode(new ThriftReply(1));
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes, NoDefaultConstructor.class));
        assertTrue(e.getMessage().contains("no-argument constructor"), e.getMessage());
    }

    /** A TBase without a no-argument constructor. */
    public static class NoDefaultConstructor extends ThriftReply {
        private static final long serialVersionUID = 1L;

        /** The only constructor. */
        public NoDefaultConstructor(int c) {
            super(c);
        }
    }

    @Test
    void decodeErrorsNameTheType() {
        CodecException e = assertThrows(CodecException.class,
                () -> codec.decode(TestValues.hex("0b 0006 ffffffff 00"), Rich.class));
        assertTrue(e.getMessage().contains(Rich.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("Negative length"), e.getMessage());
        CodecException empty = assertThrows(CodecException.class, () -> codec.decode(new byte[0], ThriftReply.class));
        assertTrue(empty.getMessage().contains(ThriftReply.class.getName()) && empty.getMessage().contains("empty"),
                empty.getMessage());
        assertThrows(CodecException.class, () -> codec.decode(null, ThriftReply.class));
    }

    /** Lengths are checked against the bytes actually present before anything is allocated. */
    @Test
    void lengthsClaimingGibibytesFailFastWithoutAllocating() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (String hex : List.of(
                    "0b 0006 7fffffff 41 42 43 00",        // string field: 2 GiB - 1 bytes claimed, 4 present
                    "0b 0006 80000000 00",                 // 0x80000000 is -2^31 as an i32: negative
                    "0b 0007 7fffffff 00",                 // binary field, same claim
                    "0f 0008 0b 7fffffff 00",              // list of 2^31-1 strings (each at least 4 bytes)
                    "0f 000e 0c 7fffffff 00",              // list of 2^31-1 structs (each at least 1 byte)
                    "0d 0009 0b 0a 7fffffff 00",           // map of 2^31-1 entries
                    "0e 000a 08 7fffffff 00",              // set of 2^31-1 i32s
                    "0b 0063 7fffffff 00",                 // unknown field 99, skipped: same check
                    "0f 0063 0b 7fffffff 00")) {           // unknown list field, skipped: same check
                for (int i = 0; i < 1000; i++) { // a thousand times: an allocation of 2 GiB would not go unnoticed
                    assertThrows(CodecException.class, () -> codec.decode(TestValues.hex(hex), Rich.class), hex);
                }
            }
        });
    }

    @Test
    void unknownFieldsAreSkipped() {
        Rich full = TestValues.fullRich();
        RichHead head = (RichHead) codec.decode(codec.encode(full), RichHead.class);
        assertEquals(new RichHead(full.getId(), full.getTitle()), head);

        // ThriftArgs{A, B} read as ThriftReply{C}: field 1 becomes C, field 2 is skipped
        assertEquals(new ThriftReply(10), codec.decode(codec.encode(new ThriftArgs(10, 20)), ThriftReply.class));
    }

    @Test
    void aFieldOfTheWrongTypeIsSkippedLikeAnUnknownOne() {
        // field 1 of ThriftReply is an i32; here it arrives as a string, which libthrift (and Go) skip
        ThriftReply r = (ThriftReply) codec.decode(TestValues.hex("0b 0001 00000002 6869  00"), ThriftReply.class);
        assertEquals(new ThriftReply(), r);
        assertFalse(r.isSetC());
    }

    @Test
    void nestingOfSkippedFieldsIsLimitedToTheRecursionLimit() {
        assertEquals(new Rich(), codec.decode(ThriftCodecConformanceTest.nestedUnknownStructs(60), Rich.class));
        CodecException e = assertThrows(CodecException.class,
                () -> codec.decode(ThriftCodecConformanceTest.nestedUnknownStructs(100), Rich.class));
        assertTrue(e.getMessage().contains("depth"), e.getMessage());
    }

    @Test
    void bytesAfterTheStopByteAreIgnoredAsInGo() {
        assertEquals(new ThriftReply(200), codec.decode(TestValues.hex("08 0001 000000c8 00  ff ff"), ThriftReply.class));
    }

    @Test
    void zeroValueIsAFreshEmptyInstance() {
        Object z1 = codec.zeroValue(ThriftReply.class);
        Object z2 = codec.zeroValue(ThriftReply.class);
        assertEquals(new ThriftReply(), z1);
        assertNotSame(z1, z2, "a fresh instance each time: callers may fill it in");
        assertFalse(((ThriftReply) z1).isSetC());
        Rich rich = (Rich) codec.zeroValue(Rich.class);
        assertEquals(new Rich(), rich);
        assertNull(rich.getTitle());
        assertArrayEquals(new byte[] {0x08, 0x00, 0x01, 0, 0, 0, 0, 0x00}, codec.encode(z1));
        // not a Thrift struct: the default zero value
        assertEquals(0, codec.zeroValue(int.class));
        assertThrows(CodecException.class, () -> codec.zeroValue(TUnion.class));
    }

    /** Same bytes as libthrift's own TSerializer/TDeserializer with TBinaryProtocol (what Go's codec uses too). */
    @Test
    void bytesEqualLibthriftsOwnSerializer() throws Exception {
        TSerializer serializer = new TSerializer(new TBinaryProtocol.Factory());
        TDeserializer deserializer = new TDeserializer(new TBinaryProtocol.Factory());
        for (org.apache.thrift.TBase<?, ?> value : List.of(TestValues.fullRich(), new Rich(), new ThriftArgs(10, 20),
                TestValues.goZeroRichAsJavaReadsIt(), new Inner("x", 1))) {
            byte[] ours = codec.encode(value);
            assertArrayEquals(serializer.serialize(value), ours, value.toString());
            org.apache.thrift.TBase<?, ?> theirs = value.getClass().getConstructor().newInstance();
            deserializer.deserialize(theirs, ours);
            assertEquals(value, theirs);
        }
    }

    /** A decoded struct is a new object that stays valid when the payload array is reused (strings are copied). */
    @Test
    void decodedStringsDoNotAliasThePayload() {
        byte[] bytes = codec.encode(new Rich().setTitle("hello"));
        Rich r = (Rich) codec.decode(bytes, Rich.class);
        Arrays.fill(bytes, (byte) 0);
        assertEquals("hello", r.getTitle());
    }
}
