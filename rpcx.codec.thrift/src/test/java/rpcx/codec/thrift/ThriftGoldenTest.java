package rpcx.codec.thrift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import rpcx.api.spi.Codec;
import rpcx.codec.thrift.testtypes.Color;
import rpcx.codec.thrift.testtypes.Inner;
import rpcx.codec.thrift.testtypes.Rich;
import rpcx.codec.thrift.testtypes.ThriftArgs;
import rpcx.codec.thrift.testtypes.ThriftReply;

/**
 * Golden bytes, derived by hand from the binary protocol's specification (Apache Thrift's
 * {@code doc/specs/thrift-binary-protocol.md}), which is what Go's {@code TBinaryProtocol} writes too. rpcx's
 * SerializeType 4 carries the bare struct: no message envelope (no version word, method name or sequence id).
 *
 * <p>A struct is a sequence of fields followed by a stop byte {@code 00}. A field is its type (one byte), its id
 * (i16, big-endian) and its value. Type bytes: {@code 02} bool, {@code 03} byte (i8), {@code 04} double,
 * {@code 06} i16, {@code 08} i32, {@code 0a} i64, {@code 0b} string and binary, {@code 0c} struct, {@code 0d} map,
 * {@code 0e} set, {@code 0f} list. Values: integers big-endian two's complement of their width; bool one byte,
 * {@code 01} or {@code 00}; double the 8 big-endian bytes of its IEEE 754 bits; string and binary an i32 byte
 * length then the bytes (UTF-8 for strings); list and set the element type byte, an i32 count, the elements; map
 * the key type byte, the value type byte, an i32 count, then key, value, key, value...; a nested struct is written
 * in place and ends with its own stop byte. Generated Java writes fields in field-id order and leaves out object
 * fields that are null (strings, binaries, containers, structs, enums) and optional fields that are unset.
 */
class ThriftGoldenTest {
    private final Codec codec = new ThriftCodecProvider().create();

    private void assertGolden(String hex, Object value) {
        byte[] golden = TestValues.hex(hex);
        assertEquals(TestValues.hex(golden), TestValues.hex(codec.encode(value)), "encode");
        assertEquals(value, codec.decode(golden, value.getClass()), "decode");
    }

    /**
     * ThriftArgs{A:10, B:20}, the rpcx tutorial's Arith arguments:
     * <pre>
     * 08 0001 0000000a   field type 08 = i32, field id 1 (i16 big-endian), value 10 (i32 big-endian)
     * 08 0002 00000014   field type 08 = i32, field id 2, value 20
     * 00                 stop: end of the struct
     * </pre>
     */
    @Test
    void thriftArgs() {
        assertGolden("08 0001 0000000a  08 0002 00000014  00", new ThriftArgs(10, 20));
    }

    /**
     * ThriftReply{C:200}, the reply of Mul(10, 20):
     * <pre>
     * 08 0001 000000c8   i32 field 1, value 200 = 0xc8
     * 00                 stop
     * </pre>
     */
    @Test
    void thriftReply() {
        assertGolden("08 0001 000000c8  00", new ThriftReply(200));
    }

    /** Negative numbers are two's complement: ThriftArgs{A:-1, B:Integer.MIN_VALUE}. */
    @Test
    void negativeI32() {
        assertGolden("08 0001 ffffffff  08 0002 80000000  00", new ThriftArgs(-1, Integer.MIN_VALUE));
    }

    /**
     * A Rich with one value of every kind; the optional {@code note} is unset and so left out:
     * <pre>
     * 0a 0001 0000000000000001      i64 field 1 (id) = 1, 8 bytes
     * 06 0002 fffe                  i16 field 2 (small) = -2
     * 03 0003 07                    byte field 3 (tiny) = 7
     * 04 0004 3ff8000000000000      double field 4 (ratio) = 1.5: sign 0, exponent 0x3ff (2^0), fraction .1 binary
     * 02 0005 01                    bool field 5 (flag) = true
     * 0b 0006 00000002 6869         string field 6 (title) = "hi": i32 length 2, then the UTF-8 bytes
     * 0b 0007 00000002 cafe         binary field 7 (blob) = {0xca, 0xfe}: written exactly like a string
     * 0f 0008 0b 00000002           list field 8 (tags): element type 0b string, 2 elements
     *         00000001 61           "a"
     *         00000002 6263         "bc"
     * 0d 0009 0b 0a 00000001        map field 9 (counts): key type string, value type i64, 1 entry
     *         00000001 6b           key "k"
     *         0000000000000005      value 5
     * 0e 000a 08 00000001 00000003  set field 10 (ids): element type i32, 1 element, 3
     * 0c 000b                       struct field 11 (inner) = Inner{name:"x", score:9}, written in place:
     *         0b 0001 00000001 78   string field 1 = "x"
     *         08 0002 00000009      i32 field 2 = 9
     *         00                    the nested struct's stop
     *                               (field 12, the optional note, is unset: nothing is written)
     * 08 000d 00000002              enum field 13 (color) = GREEN: an enum is an i32 holding its value, 2
     * 0f 000e 0c 00000001           list field 14 (inners): element type struct, 1 element:
     *         08 0002 00000001 00   Inner{score:1}; its name is null, so only field 2 and the stop
     * 00                            stop of Rich
     * </pre>
     */
    @Test
    void rich() {
        Rich rich = new Rich()
                .setId(1)
                .setSmall((short) -2)
                .setTiny((byte) 7)
                .setRatio(1.5)
                .setFlag(true)
                .setTitle("hi")
                .setBlob(new byte[] {(byte) 0xca, (byte) 0xfe})
                .setTags(List.of("a", "bc"))
                .setCounts(Map.of("k", 5L))
                .setIds(Set.of(3))
                .setInner(new Inner("x", 9))
                .setColor(Color.GREEN)
                .setInners(List.of(new Inner().setScore(1)));
        assertGolden("""
                0a 0001 0000000000000001
                06 0002 fffe
                03 0003 07
                04 0004 3ff8000000000000
                02 0005 01
                0b 0006 00000002 6869
                0b 0007 00000002 cafe
                0f 0008 0b 00000002 00000001 61 00000002 6263
                0d 0009 0b 0a 00000001 00000001 6b 0000000000000005
                0e 000a 08 00000001 00000003
                0c 000b 0b 0001 00000001 78 08 0002 00000009 00
                08 000d 00000002
                0f 000e 0c 00000001 08 0002 00000001 00
                00""", rich);
    }

    /** The optional field when set: string field 12, written between fields 11 and 13 (field-id order). */
    @Test
    void optionalFieldWhenSet() {
        assertGolden("""
                0a 0001 0000000000000000
                06 0002 0000
                03 0003 00
                04 0004 0000000000000000
                02 0005 00
                0b 000c 00000001 6e
                00""", new Rich().setNote("n"));
    }

    /**
     * The zero reply, as the server sends it with an error (Go: a freshly allocated {@code &ThriftReply{}}):
     * <pre>
     * 08 0001 00000000   i32 field 1 = 0: a primitive field of default requiredness is always written
     * 00                 stop
     * </pre>
     * Go's generated code writes these bytes for {@code &ThriftReply{}} as well: both write every primitive field
     * that is not optional, zero or not.
     */
    @Test
    void zeroReplyIsWrittenAsGoWritesIt() {
        Object zero = codec.zeroValue(ThriftReply.class);
        assertEquals(new ThriftReply(), zero);
        assertGolden("08 0001 00000000  00", zero);
    }

    /**
     * Where Go and Java differ: for a field of default requiredness (neither {@code optional} nor
     * {@code required}) Go's generated code writes the field always, while Java's leaves out object fields that
     * are null. For a fresh Rich Java writes only the five primitives:
     * <pre>
     * 0a 0001 0000000000000000  06 0002 0000  03 0003 00  04 0004 0000000000000000  02 0005 00  00
     * </pre>
     * Go's {@code &Rich{}} also writes {@code 0b 0006 00000000} (empty title), {@code 0b 0007 00000000} (empty
     * blob), {@code 0f 0008 0b 00000000}, {@code 0d 0009 0b 0a 00000000}, {@code 0e 000a 08 00000000} (empty
     * containers), {@code 0c 000b 00} (its nil Inner pointer writes an empty struct), {@code 08 000d 00000000}
     * (enum 0) and {@code 0f 000e 0c 00000000}; never the unset optional field 12. Both sides read either form:
     * Go reads Java's bytes back into its zero struct, and Java reads Go's into a Rich whose strings, binary and
     * containers are empty instead of null, whose inner is an empty Inner, and whose color is null (0 names no
     * Color).
     */
    @Test
    void goZeroRichDecodesWithEmptyRatherThanNullFields() {
        assertGolden("0a 0001 0000000000000000  06 0002 0000  03 0003 00  04 0004 0000000000000000  02 0005 00  00",
                new Rich());
        byte[] goZero = TestValues.hex("""
                0a 0001 0000000000000000
                06 0002 0000
                03 0003 00
                04 0004 0000000000000000
                02 0005 00
                0b 0006 00000000
                0b 0007 00000000
                0f 0008 0b 00000000
                0d 0009 0b 0a 00000000
                0e 000a 08 00000000
                0c 000b 00
                08 000d 00000000
                0f 000e 0c 00000000
                00""");
        Rich decoded = (Rich) codec.decode(goZero, Rich.class);
        assertEquals(TestValues.goZeroRichAsJavaReadsIt(), decoded);
        assertNull(decoded.getColor());
        assertEquals(new Inner(), decoded.getInner());
    }
}
