package rpcx.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import rpcx.api.Codecs;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Codec;
import rpcx.bench.harness.BenchPayload;
import rpcx.bench.proto.BenchmarkMessage;

/**
 * Encode, decode and both of the benchmark payload with the codecs rpcx finds through {@link Codecs#lookup(int)}:
 * the protobuf codec (SerializeType 2) on the generated {@code BenchmarkMessage} (581 bytes) and the msgpack codec
 * (SerializeType 3) on {@link BenchmarkStruct}, the same values as a record with Go field names. The msgpack size
 * is printed once per fork by {@link #setup()}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CodecBenchmark {
    private Codec protobuf;
    private Codec msgpack;
    private BenchmarkMessage message;
    private BenchmarkStruct struct;
    private byte[] protobufBytes;
    private byte[] msgpackBytes;

    /** Creates the state (JMH calls it). */
    public CodecBenchmark() {
    }

    /** Looks the codecs up, encodes both payloads once and checks that they decode to what was encoded. */
    @Setup
    public void setup() {
        protobuf = Codecs.lookup(SerializeType.PROTOBUF);
        msgpack = Codecs.lookup(SerializeType.MSGPACK);
        message = Payloads.message();
        struct = BenchmarkStruct.prepareArgs();
        protobufBytes = protobuf.encode(message);
        Payloads.check(protobufBytes.length == BenchPayload.PROTO_SIZE,
                "protobuf codec wrote " + protobufBytes.length + " bytes, not " + BenchPayload.PROTO_SIZE);
        Payloads.check(message.equals(protobuf.decode(protobufBytes, BenchmarkMessage.class)),
                "protobuf decode(encode(message)) differs from the message");
        msgpackBytes = msgpack.encode(struct);
        Payloads.check(struct.equals(msgpack.decode(msgpackBytes, BenchmarkStruct.class)),
                "msgpack decode(encode(struct)) differs from the struct");
        System.out.println("[rpcx-jmh] encoded sizes: protobuf (SerializeType 2) BenchmarkMessage "
                + protobufBytes.length + " B, msgpack (SerializeType 3) BenchmarkStruct " + msgpackBytes.length + " B");
    }

    /** Protobuf codec: message to bytes. */
    @Benchmark
    public byte[] protobufEncode() {
        return protobuf.encode(message);
    }

    /** Protobuf codec: bytes to message. */
    @Benchmark
    public Object protobufDecode() {
        return protobuf.decode(protobufBytes, BenchmarkMessage.class);
    }

    /**
     * Protobuf codec: bytes to message, then every string field read. protobuf-java keeps parsed strings as UTF-8
     * bytes until a getter asks for them, where the msgpack codec builds the {@code String}s while decoding; this
     * variant counts that deferred work, for a like-for-like comparison with {@link #msgpackDecode()}.
     */
    @Benchmark
    public void protobufDecodeReadStrings(Blackhole bh) {
        BenchmarkMessage m = (BenchmarkMessage) protobuf.decode(protobufBytes, BenchmarkMessage.class);
        bh.consume(m.getField1());
        bh.consume(m.getField9());
        bh.consume(m.getField18());
        bh.consume(m.getField4());
        bh.consume(m.getField7());
        bh.consume(m.getField102());
        bh.consume(m.getField103());
        bh.consume(m.getField129());
    }

    /** Protobuf codec: message to bytes and back. */
    @Benchmark
    public Object protobufRoundTrip() {
        return protobuf.decode(protobuf.encode(message), BenchmarkMessage.class);
    }

    /** Msgpack codec: record to bytes. */
    @Benchmark
    public byte[] msgpackEncode() {
        return msgpack.encode(struct);
    }

    /** Msgpack codec: bytes to record. */
    @Benchmark
    public Object msgpackDecode() {
        return msgpack.decode(msgpackBytes, BenchmarkStruct.class);
    }

    /** Msgpack codec: record to bytes and back. */
    @Benchmark
    public Object msgpackRoundTrip() {
        return msgpack.decode(msgpack.encode(struct), BenchmarkStruct.class);
    }
}
