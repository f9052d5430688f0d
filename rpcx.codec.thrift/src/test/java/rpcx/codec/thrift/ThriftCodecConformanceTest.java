package rpcx.codec.thrift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import rpcx.api.spi.CodecProvider;
import rpcx.codec.thrift.testtypes.Inner;
import rpcx.codec.thrift.testtypes.Rich;
import rpcx.codec.thrift.testtypes.ThriftArgs;
import rpcx.codec.thrift.testtypes.ThriftReply;
import rpcx.testkit.CodecConformance;

/** The Thrift codec passes the codec conformance suite of rpcx.testkit. */
class ThriftCodecConformanceTest extends CodecConformance {

    @Override
    protected CodecProvider provider() {
        return new ThriftCodecProvider();
    }

    @Override
    protected List<Sample> samples() {
        return List.of(
                Sample.of("full Rich", Rich.class, TestValues.fullRich()),
                Sample.of(new ThriftArgs(10, 20)),
                Sample.of(new ThriftReply(200)),
                Sample.of("extreme ThriftArgs", ThriftArgs.class, new ThriftArgs(Integer.MIN_VALUE, Integer.MAX_VALUE)),
                Sample.of("Go's zero Rich", Rich.class, TestValues.goZeroRichAsJavaReadsIt()));
    }

    /** A fresh generated struct: what {@code codec.zeroValue(Rich.class)} gives and Go's {@code &Rich{}} is. */
    @Override
    protected Sample empty() {
        return Sample.of("empty Rich", Rich.class, new Rich());
    }

    @Override
    protected Sample sized(int bytes) {
        byte[] blob = new byte[bytes];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) (i * 31);
        }
        return Sample.of("sized Rich", Rich.class, new Rich().setId(bytes).setBlob(blob).setTitle("x".repeat(bytes / 4)));
    }

    /** Unset object fields (strings, binary, containers, nested struct, enum, the optional field) are nulls. */
    @Override
    protected Sample withNulls() {
        return Sample.of("Rich with nulls", Rich.class, new Rich().setId(5).setFlag(true).setTags(Arrays.asList("x"))
                .setInner(new Inner().setScore(3)));
    }

    /** Not a valid encoding of a Rich. */
    @Override
    protected List<byte[]> malformed() {
        List<byte[]> bad = new ArrayList<>();
        bad.add(new byte[0]);                                            // no stop byte at all
        bad.add(TestValues.hex("0a 0001 00000000"));                     // i64 field cut short, no stop
        bad.add(TestValues.hex("08 0063 00000001"));                     // unknown i32 field 99, then no stop
        bad.add(TestValues.hex("0b"));                                   // field header cut after the type
        bad.add(TestValues.hex("0b 0006 ffffffff 00"));                  // string of negative length
        bad.add(TestValues.hex("0b 0006 7fffffff 41 00"));               // string of 2 GiB - 1 bytes, 2 present
        bad.add(TestValues.hex("0b 0007 00001000 00"));                  // binary of 4096 bytes, 1 present
        bad.add(TestValues.hex("0f 0008 0b 7fffffff 00"));               // list of 2^31-1 strings, 1 byte present
        bad.add(TestValues.hex("0d 0009 0b 0a 10000000 00"));            // map of 2^28 entries
        bad.add(TestValues.hex("0e 000a 08 ffffffff 00"));               // set of negative size
        bad.add(TestValues.hex("63 0063 00"));                           // field of type 0x63, which does not exist
        bad.add(nestedUnknownStructs(200));                              // deeper than the skip limit (64)
        return bad;
    }

    /** Unknown field 99 holding a struct holding field 99 holding a struct ..., {@code depth} levels, all closed. */
    static byte[] nestedUnknownStructs(int depth) {
        byte[] b = new byte[depth * 3 + depth + 1];
        int i = 0;
        for (int d = 0; d < depth; d++) {
            b[i++] = 0x0c; // struct
            b[i++] = 0x00;
            b[i++] = 0x63; // id 99
        }
        for (int d = 0; d <= depth; d++) {
            b[i++] = 0x00; // stop of each nested struct, then of the top one
        }
        return b;
    }
}
