package rpcx.codec.protobuf;

import java.util.List;

import com.google.protobuf.ByteString;

import rpcx.api.spi.CodecProvider;
import rpcx.codec.protobuf.testtypes.Kind;
import rpcx.codec.protobuf.testtypes.ProtoArgs;
import rpcx.codec.protobuf.testtypes.Reply;
import rpcx.codec.protobuf.testtypes.Rich;
import rpcx.testkit.CodecConformance;

/** The testkit's codec conformance suite over generated protobuf messages. */
class ProtobufCodecConformanceTest extends CodecConformance {
    static Reply joke() {
        return Reply.newBuilder().setUID(999).setAddTime(14990093).setUserType(2)
                .setUface("http://image.xxxx.xxx/t.gif").setUserName("Joke").build();
    }

    static Rich rich() {
        return Rich.newBuilder().setI32(-1).setI64(Long.MIN_VALUE).setU32(-1).setU64(-1L).setS32(-2).setS64(Long.MAX_VALUE)
                .setF32(7).setF64(8).setSf32(-9).setSf64(-10).setFl(1.25f).setDb(-2.5).setFlag(true)
                .setText("héllo, 世界").setBlob(ByteString.copyFrom(new byte[] {0, 1, (byte) 0xff}))
                .setKind(Kind.KIND_ADMIN).setUser(joke()).addAllNums(List.of(1, 2, 300, -5)).addTags("a").addTags("")
                .putCounts("x", 1).putCounts("y", -1).setNumber(22).setMaybe(0).addUsers(joke())
                .addUsers(Reply.getDefaultInstance()).build();
    }

    @Override
    protected CodecProvider provider() {
        return new ProtobufCodecProvider();
    }

    @Override
    protected List<Sample> samples() {
        return List.of(Sample.of(rich()), Sample.of(joke()), Sample.of(ProtoArgs.newBuilder().setA(10).setB(20).build()),
                Sample.of("oneof name", Rich.class, Rich.newBuilder().setName("n").build()));
    }

    @Override
    protected Sample empty() {
        return Sample.of(Rich.getDefaultInstance());
    }

    @Override
    protected Sample sized(int bytes) {
        return Sample.of(Rich.newBuilder().setBlob(ByteString.copyFrom(new byte[bytes])).build());
    }

    @Override
    protected List<byte[]> malformed() {
        return List.of(
                new byte[] {0x0f},                                  // wire type 7 does not exist
                new byte[] {0x08},                                  // field 1 varint with no value
                new byte[] {0x08, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01}, // varint longer than 10 bytes
                new byte[] {0x72, 0x05, 'a'},                       // field 14 (string) claims 5 bytes, has 1
                new byte[] {0x72, 0x02, (byte) 0xc3, 0x28},         // field 14 (proto3 string) is not UTF-8
                new byte[] {(byte) 0x8a, 0x01, 0x7f},               // field 17 (message) claims 127 bytes
                new byte[] {0x08, 0x01, 0x0c, 0x10, 0x02});         // an end-group tag with no group open
    }
}
