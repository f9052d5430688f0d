package rpcx.bench.jmh;

import java.util.Map;

import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.bench.harness.BenchPayload;
import rpcx.bench.proto.BenchmarkMessage;

/**
 * The payloads every benchmark here uses, filled like rpcx-benchmark's {@code PrepareArgs} (spec/benchmark.md §5.2):
 * every string {@link BenchPayload#TEXT}, every int32/int64 {@link BenchPayload#INT}, every bool true, field5 empty.
 */
public final class Payloads {
    /** The service of the request frame. */
    public static final String SERVICE = "Hello";
    /** The method of the request frame. */
    public static final String METHOD = "Say";
    /** The size of the request frame carrying the 581-byte message: 16 + 4+5 + 4+3 + 4 + 4+581. */
    public static final int FRAME_SIZE = 621;

    private Payloads() {
    }

    /** The filled message; fails when it does not encode to the 581 bytes the spec requires. */
    public static BenchmarkMessage message() {
        BenchmarkMessage m = BenchmarkMessage.newBuilder()
                .setField1(BenchPayload.TEXT)
                .setField9(BenchPayload.TEXT)
                .setField18(BenchPayload.TEXT)
                .setField80(true)
                .setField81(true)
                .setField2(BenchPayload.INT)
                .setField3(BenchPayload.INT)
                .setField280(BenchPayload.INT)
                .setField6(BenchPayload.INT)
                .setField22(BenchPayload.INT)
                .setField4(BenchPayload.TEXT)
                .setField59(true)
                .setField7(BenchPayload.TEXT)
                .setField16(BenchPayload.INT)
                .setField130(BenchPayload.INT)
                .setField12(true)
                .setField17(true)
                .setField13(true)
                .setField14(true)
                .setField104(BenchPayload.INT)
                .setField100(BenchPayload.INT)
                .setField101(BenchPayload.INT)
                .setField102(BenchPayload.TEXT)
                .setField103(BenchPayload.TEXT)
                .setField29(BenchPayload.INT)
                .setField30(true)
                .setField60(BenchPayload.INT)
                .setField271(BenchPayload.INT)
                .setField272(BenchPayload.INT)
                .setField150(BenchPayload.INT)
                .setField23(BenchPayload.INT)
                .setField24(true)
                .setField25(BenchPayload.INT)
                .setField78(true)
                .setField67(BenchPayload.INT)
                .setField68(BenchPayload.INT)
                .setField128(BenchPayload.INT)
                .setField129(BenchPayload.TEXT)
                .setField131(BenchPayload.INT)
                .build();
        BenchPayload.checkProtoSize(m.getSerializedSize());
        return m;
    }

    /** A request frame (Hello.Say, SerializeType 2, no metadata) carrying the encoded {@link #message()}. */
    public static Message request(long seq) {
        return Message.request(seq, SERVICE, METHOD, SerializeType.PROTOBUF, Map.of(), message().toByteArray());
    }

    /** Fails the run with a message naming what differs. */
    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
