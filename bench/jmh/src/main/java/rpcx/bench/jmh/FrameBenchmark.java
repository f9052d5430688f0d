package rpcx.bench.jmh;

import java.nio.ByteBuffer;
import java.util.Arrays;
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

import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;

/**
 * rpcx frame encode and decode with {@link FrameCodec}: a request frame (service {@code Hello}, method {@code Say},
 * a seq, SerializeType 2, no metadata) carrying the 581-byte protobuf BenchmarkMessage, 621 bytes in all.
 *
 * <ul>
 *   <li>{@code encodeToArray}: {@link FrameCodec#encode(Message)}, a new {@code byte[]} per frame.</li>
 *   <li>{@code encodeToDirectBuffer}: {@link FrameCodec#prepare(Message)} + {@code writeTo} into a reused direct
 *       buffer: what the TCP transport's encoder does into a pooled Netty buffer (the pool itself not counted).</li>
 *   <li>{@code decodeFromHeapBuffer}: {@link FrameCodec#decode(ByteBuffer, FrameLimits)} of the frame in a reused
 *       heap buffer.</li>
 *   <li>{@code decodeFromDirectBuffer}: the same from a reused direct buffer: what the TCP transport's decoder
 *       does through the internal NIO view of its pooled direct cumulation buffer. The Netty handlers themselves
 *       are not public, so they are not measured here.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FrameBenchmark {
    private Message request;
    private byte[] frame;
    private ByteBuffer heapFrame;
    private ByteBuffer directFrame;
    private ByteBuffer directOut;
    private final FrameLimits limits = FrameLimits.DEFAULT;

    /** Creates the state (JMH calls it). */
    public FrameBenchmark() {
    }

    /** Builds the request and its frame; checks the frame size and that decode gives the request back. */
    @Setup
    public void setup() {
        request = Payloads.request(0x1234_5678L);
        frame = FrameCodec.encode(request);
        Payloads.check(frame.length == Payloads.FRAME_SIZE,
                "the request frame is " + frame.length + " bytes, expected " + Payloads.FRAME_SIZE);
        heapFrame = ByteBuffer.wrap(frame);
        directFrame = ByteBuffer.allocateDirect(frame.length).put(frame).flip();
        directOut = ByteBuffer.allocateDirect(1024);
        Message back = FrameCodec.decode(directFrame.duplicate(), limits);
        Payloads.check(back.equals(request) && back.serializeType() == SerializeType.PROTOBUF,
                "decode(encode(request)) differs from the request: " + back);
        FrameCodec.prepare(request).writeTo(directOut.clear());
        byte[] written = new byte[directOut.flip().remaining()];
        directOut.get(written);
        Payloads.check(Arrays.equals(written, frame), "prepare().writeTo() differs from encode()");
    }

    /** Encodes the frame into a new array. */
    @Benchmark
    public byte[] encodeToArray() {
        return FrameCodec.encode(request);
    }

    /** Encodes the frame into a reused direct buffer, as the TCP transport's encoder does. */
    @Benchmark
    public int encodeToDirectBuffer() {
        FrameCodec.Encoded e = FrameCodec.prepare(request);
        ByteBuffer out = directOut.clear();
        e.writeTo(out);
        return out.position();
    }

    /** Decodes the frame from a heap buffer. */
    @Benchmark
    public Message decodeFromHeapBuffer() {
        return FrameCodec.decode(heapFrame.clear(), limits);
    }

    /** Decodes the frame from a direct buffer, as the TCP transport's decoder does. */
    @Benchmark
    public Message decodeFromDirectBuffer() {
        return FrameCodec.decode(directFrame.clear(), limits);
    }
}
