package rpcx.bench.jmh;

import java.util.List;

import rpcx.api.GoField;
import rpcx.api.GoType;
import rpcx.bench.harness.BenchPayload;

/**
 * The msgpack (SerializeType 3) mirror of {@code BenchmarkMessage}: one component per proto field, in the
 * declaration order of {@code spec/benchmark.proto}, so the msgpack map keys are the Go field names
 * {@code Field1}, {@code Field9}, ... ({@link rpcx.api.spi.StructModel} capitalises the component name) in the
 * order Go's generated struct has them. Go number types are kept: {@code int32} fields are marked
 * {@link GoType#INT32} ({@code d2} + 4 bytes), {@code int64} is a {@code long} ({@code d3} + 8 bytes), the
 * {@code repeated fixed64} field is a list of {@link GoType#UINT64}.
 *
 * @param field1 proto field 1 (required string)
 * @param field9 proto field 9 (optional string)
 * @param field18 proto field 18 (optional string)
 * @param field80 proto field 80 (optional bool)
 * @param field81 proto field 81 (optional bool)
 * @param field2 proto field 2 (required int32)
 * @param field3 proto field 3 (required int32)
 * @param field280 proto field 280 (optional int32)
 * @param field6 proto field 6 (optional int32)
 * @param field22 proto field 22 (optional int64)
 * @param field4 proto field 4 (optional string)
 * @param field5 proto field 5 (repeated fixed64)
 * @param field59 proto field 59 (optional bool)
 * @param field7 proto field 7 (optional string)
 * @param field16 proto field 16 (optional int32)
 * @param field130 proto field 130 (optional int32)
 * @param field12 proto field 12 (optional bool)
 * @param field17 proto field 17 (optional bool)
 * @param field13 proto field 13 (optional bool)
 * @param field14 proto field 14 (optional bool)
 * @param field104 proto field 104 (optional int32)
 * @param field100 proto field 100 (optional int32)
 * @param field101 proto field 101 (optional int32)
 * @param field102 proto field 102 (optional string)
 * @param field103 proto field 103 (optional string)
 * @param field29 proto field 29 (optional int32)
 * @param field30 proto field 30 (optional bool)
 * @param field60 proto field 60 (optional int32)
 * @param field271 proto field 271 (optional int32)
 * @param field272 proto field 272 (optional int32)
 * @param field150 proto field 150 (optional int32)
 * @param field23 proto field 23 (optional int32)
 * @param field24 proto field 24 (optional bool)
 * @param field25 proto field 25 (optional int32)
 * @param field78 proto field 78 (optional bool)
 * @param field67 proto field 67 (optional int32)
 * @param field68 proto field 68 (optional int32)
 * @param field128 proto field 128 (optional int32)
 * @param field129 proto field 129 (optional string)
 * @param field131 proto field 131 (optional int32)
 */
public record BenchmarkStruct(
        String field1,
        String field9,
        String field18,
        boolean field80,
        boolean field81,
        @GoField(type = GoType.INT32) int field2,
        @GoField(type = GoType.INT32) int field3,
        @GoField(type = GoType.INT32) int field280,
        @GoField(type = GoType.INT32) int field6,
        @GoField(type = GoType.INT64) long field22,
        String field4,
        @GoField(type = GoType.UINT64) List<Long> field5,
        boolean field59,
        String field7,
        @GoField(type = GoType.INT32) int field16,
        @GoField(type = GoType.INT32) int field130,
        boolean field12,
        boolean field17,
        boolean field13,
        boolean field14,
        @GoField(type = GoType.INT32) int field104,
        @GoField(type = GoType.INT32) int field100,
        @GoField(type = GoType.INT32) int field101,
        String field102,
        String field103,
        @GoField(type = GoType.INT32) int field29,
        boolean field30,
        @GoField(type = GoType.INT32) int field60,
        @GoField(type = GoType.INT32) int field271,
        @GoField(type = GoType.INT32) int field272,
        @GoField(type = GoType.INT32) int field150,
        @GoField(type = GoType.INT32) int field23,
        boolean field24,
        @GoField(type = GoType.INT32) int field25,
        boolean field78,
        @GoField(type = GoType.INT32) int field67,
        @GoField(type = GoType.INT32) int field68,
        @GoField(type = GoType.INT32) int field128,
        String field129,
        @GoField(type = GoType.INT32) int field131) {

    /** Filled like rpcx-benchmark's {@code PrepareArgs}: every string the benchmark text, every int 100000, every bool true, field5 empty. */
    public static BenchmarkStruct prepareArgs() {
        return new BenchmarkStruct(
                BenchPayload.TEXT,
                BenchPayload.TEXT,
                BenchPayload.TEXT,
                true,
                true,
                BenchPayload.INT,
                BenchPayload.INT,
                BenchPayload.INT,
                BenchPayload.INT,
                BenchPayload.INT,
                BenchPayload.TEXT,
                List.of(),
                true,
                BenchPayload.TEXT,
                BenchPayload.INT,
                BenchPayload.INT,
                true,
                true,
                true,
                true,
                BenchPayload.INT,
                BenchPayload.INT,
                BenchPayload.INT,
                BenchPayload.TEXT,
                BenchPayload.TEXT,
                BenchPayload.INT,
                true,
                BenchPayload.INT,
                BenchPayload.INT,
                BenchPayload.INT,
                BenchPayload.INT,
                BenchPayload.INT,
                true,
                BenchPayload.INT,
                true,
                BenchPayload.INT,
                BenchPayload.INT,
                BenchPayload.INT,
                BenchPayload.TEXT,
                BenchPayload.INT);
    }
}
