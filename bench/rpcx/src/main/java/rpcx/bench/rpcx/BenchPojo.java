package rpcx.bench.rpcx;

import java.util.List;

import rpcx.bench.harness.BenchPayload;

/**
 * The BenchmarkMessage as a plain record for the msgpack target (b2): the same fields and values, encoded by the
 * rpcx msgpack codec as a map keyed by Go field names ({@code Field1}, {@code Field9}, ...).
 */
public record BenchPojo(String field1, String field9, String field18, boolean field80, boolean field81, int field2,
                        int field3, int field280, int field6, long field22, String field4, List<Long> field5,
                        boolean field59, String field7, int field16, int field130, boolean field12, boolean field17,
                        boolean field13, boolean field14, int field104, int field100, int field101, String field102,
                        String field103, int field29, boolean field30, int field60, int field271, int field272,
                        int field150, int field23, boolean field24, int field25, boolean field78, int field67,
                        int field68, int field128, String field129, int field131) {

    /** Filled as rpcx-benchmark's {@code PrepareArgs} fills the protobuf message. */
    public static BenchPojo prepared() {
        String s = BenchPayload.TEXT;
        int i = BenchPayload.INT;
        return new BenchPojo(s, s, s, true, true, i, i, i, i, i, s, List.of(), true, s, i, i, true, true, true, true,
                i, i, i, s, s, i, true, i, i, i, i, i, true, i, true, i, i, i, s, i);
    }

    /** The server's answer: this message with {@code field1 = "OK"} and {@code field2 = 100}. */
    public BenchPojo answered() {
        return new BenchPojo("OK", field9, field18, field80, field81, 100, field3, field280, field6, field22, field4,
                field5, field59, field7, field16, field130, field12, field17, field13, field14, field104, field100,
                field101, field102, field103, field29, field30, field60, field271, field272, field150, field23,
                field24, field25, field78, field67, field68, field128, field129, field131);
    }
}
