package rpcx.codec.protobuf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import rpcx.api.spi.Codec;
import rpcx.api.spi.CodecException;
import rpcx.codec.protobuf.testtypes.Args;
import rpcx.codec.protobuf.testtypes.ProtoArgs;
import rpcx.codec.protobuf.testtypes.ProtoReply;
import rpcx.codec.protobuf.testtypes.Reply;
import rpcx.codec.protobuf.testtypes.Rich;

/**
 * Golden bytes: what Go's {@code proto.Marshal} (google.golang.org/protobuf, the path rpcx's PBCodec takes for
 * generated messages) writes for the same messages, derived by hand from the protobuf encoding rules. A field is
 * a tag varint {@code (fieldNumber << 3) | wireType} (0 = varint, 1 = 64-bit, 2 = length-delimited, 5 = 32-bit)
 * followed by its value; fields come in field-number order; proto3 scalars holding their default value are not
 * written. Both runtimes follow these rules, so the bytes must match exactly.
 */
class ProtobufGoldenTest {
    private final Codec codec = new ProtobufCodecProvider().create();

    private void golden(String hex, com.google.protobuf.MessageLite message) {
        byte[] expected = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertArrayEquals(expected, codec.encode(message), message.getClass().getSimpleName());
        assertEquals(message, codec.decode(expected, message.getClass()));
    }

    @Test
    void tutorialMulArgsAndReply() {
        // ProtoArgs{A:10, B:20}: 08 = field 1 varint, 0a = 10; 10 = field 2 varint, 14 = 20
        golden("08 0a 10 14", ProtoArgs.newBuilder().setA(10).setB(20).build());
        // ProtoReply{C:200}: 08 = field 1 varint; 200 = 0b1_1001000 -> c8 01 (low 7 bits first, high bit = more)
        golden("08 c8 01", ProtoReply.newBuilder().setC(200).build());
    }

    @Test
    void tutorialUserInfoArgsAndReply() {
        // Args{Id:999}: 999 = 0b111_1100111 -> e7 07
        golden("08 e7 07", Args.newBuilder().setId(999).build());
        // Reply: 08 e7 07 (UID 999) | 10 8d f6 92 07 (AddTime 14990093) | 18 02 (UserType 2)
        //        | 22 1b "http://image.xxxx.xxx/t.gif" (field 4, wire type 2, 27 bytes) | 2a 04 "Joke"
        golden("08 e7 07 10 8d f6 92 07 18 02 22 1b 687474703a2f2f696d6167652e787878782e7878782f742e676966 2a 04 4a6f6b65",
                ProtobufCodecConformanceTest.joke());
    }

    @Test
    void defaultValuesAreNotWritten() {
        // Go's zero reply &pb.ProtoReply{} and Java's default instance are both empty on the wire
        golden("", ProtoReply.getDefaultInstance());
        golden("", Reply.newBuilder().setUID(0).setUface("").build());
    }

    @Test
    void everyWireType() {
        Rich rich = Rich.newBuilder()
                .setI32(-1)                 // 08 + ten-byte varint: negative int32 is sign-extended to 64 bits
                .setS32(-1)                 // 28 01: sint32 uses zigzag, -1 -> 1
                .setF32(1)                  // 3d 01000000: fixed32, wire type 5, little-endian
                .setDb(1.5)                 // 61 000000000000f83f: double, wire type 1, little-endian IEEE 754
                .setFlag(true)              // 68 01
                .setText("é")               // 72 02 c3a9: UTF-8
                .addAllNums(java.util.List.of(1, 2, 300)) // 92 01 04 01 02 ac02: proto3 packs repeated scalars
                .putCounts("a", 1)          // a2 01 05 0a0161 1001: a map entry is a message {1: key, 2: value}
                .setMaybe(0)                // b8 01 00: proto3 `optional` has presence, so an explicit 0 is written
                .build();
        golden("08 ffffffffffffffffff01 28 01 3d 01000000 61 000000000000f83f 68 01 72 02 c3a9 9201 04 0102ac02"
                + " a201 05 0a0161 1001 b801 00", rich);
    }

    @Test
    void unknownFieldsAreKeptAndWrittenBack() {
        // Reply's bytes read as ProtoReply: field 1 (UID 999) becomes C; fields 2..5 are unknown to ProtoReply
        byte[] replyBytes = codec.encode(ProtobufCodecConformanceTest.joke());
        ProtoReply asReply = (ProtoReply) codec.decode(replyBytes, ProtoReply.class);
        assertEquals(999, asReply.getC());
        assertArrayEquals(replyBytes, codec.encode(asReply), "unknown fields survive, as in Go");
    }

    @Test
    void emptyPayloadDecodesToTheDefaultMessage() {
        assertEquals(Reply.getDefaultInstance(), codec.decode(new byte[0], Reply.class));
    }

    @Test
    void zeroValueIsTheDefaultInstance() {
        assertSame(Rich.getDefaultInstance(), codec.zeroValue(Rich.class));
        assertEquals(0, codec.encode(codec.zeroValue(ProtoReply.class)).length);
    }

    @Test
    void nonMessagesGiveCodecExceptions() {
        CodecException e = assertThrows(CodecException.class, () -> codec.encode("text"));
        assertTrue(e.getMessage().contains("java.lang.String is not a protobuf message"), e.getMessage());
        assertThrows(CodecException.class, () -> codec.encode(null));
        e = assertThrows(CodecException.class, () -> codec.decode(new byte[0], String.class));
        assertTrue(e.getMessage().contains("not a protobuf message class"), e.getMessage());
        assertThrows(CodecException.class, () -> codec.decode(new byte[0], com.google.protobuf.Message.class));
    }

    @Test
    void malformedBytesNameTheType() {
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(new byte[] {0x0f}, Reply.class));
        assertTrue(e.getMessage().startsWith("cannot decode rpcx.codec.protobuf.testtypes.Reply"), e.getMessage());
    }
}
