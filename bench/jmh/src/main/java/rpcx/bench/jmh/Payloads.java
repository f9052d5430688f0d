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
        return BenchPayload.filled(BenchmarkMessage.newBuilder());
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
