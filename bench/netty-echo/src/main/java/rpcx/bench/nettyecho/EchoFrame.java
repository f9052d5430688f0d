package rpcx.bench.nettyecho;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;


import rpcx.bench.harness.BenchPayload;
import rpcx.bench.proto.BenchmarkMessage;

/**
 * The one request frame targets a and a2 send: a {@code Hello.Say} rpcx request carrying the 581-byte protobuf
 * {@link BenchmarkMessage}, encoded once by hand as protocol.md §1 lays it out. Nobody decodes it afterwards: the
 * server echoes the bytes it received and the client compares them with what it sent.
 */
public final class EchoFrame {
    /** rpcx magic number, byte 0 of every frame. */
    public static final byte MAGIC = 0x08;
    /** rpcx SerializeType ProtoBuffer, carried in the high nibble of header byte 3. */
    public static final int SERIALIZE_PROTOBUF = 2;
    /** The service path of the request. */
    public static final String SERVICE = "Hello";
    /** The service method of the request. */
    public static final String METHOD = "Say";
    /** The seq carried in the header (the first call of a Go client on a connection). */
    public static final long SEQ = 0L;
    /** The whole frame: 16-byte header + path, method, empty metadata and the 581-byte payload with their lengths. */
    public static final int FRAME_SIZE = 621;
    /** Offset of the uint32 {@code totalLen} field: the length field {@code LengthFieldBasedFrameDecoder} reads. */
    public static final int LENGTH_OFFSET = 12;
    /** Size of the {@code totalLen} field. */
    public static final int LENGTH_SIZE = 4;

    private EchoFrame() {
    }

    /**
     * The payload filled like rpcx-benchmark's {@code PrepareArgs}: every string {@link BenchPayload#TEXT}, every
     * int32/int64 {@link BenchPayload#INT}, every bool true, the repeated {@code field5} left empty; its encoded size
     * is checked against the 581 bytes the spec requires.
     *
     * @return the filled message
     */
    public static BenchmarkMessage message() {
        return BenchPayload.filled(BenchmarkMessage.newBuilder());
    }

    /**
     * The request frame: header, then length-prefixed service path, method, metadata (empty) and payload.
     *
     * @return the {@value #FRAME_SIZE} bytes of the frame, a fresh array
     */
    public static byte[] request() {
        byte[] payload = message().toByteArray();
        byte[] service = SERVICE.getBytes(StandardCharsets.UTF_8);
        byte[] method = METHOD.getBytes(StandardCharsets.UTF_8);
        int totalLen = 4 + service.length + 4 + method.length + 4 + 4 + payload.length;
        ByteBuffer buf = ByteBuffer.allocate(16 + totalLen); // big-endian by default, as rpcx
        buf.put(MAGIC);
        buf.put((byte) 0); // version
        buf.put((byte) 0); // flags A: request, not heartbeat, not oneway, no compression, normal status
        buf.put((byte) (SERIALIZE_PROTOBUF << 4)); // flags B: serialize type in the high nibble
        buf.putLong(SEQ);
        buf.putInt(totalLen);
        buf.putInt(service.length).put(service);
        buf.putInt(method.length).put(method);
        buf.putInt(0); // metadata: none
        buf.putInt(payload.length).put(payload);
        byte[] frame = buf.array();
        if (frame.length != FRAME_SIZE || buf.hasRemaining()) {
            throw new IllegalStateException("the rpcx request frame is " + frame.length + " bytes, expected "
                    + FRAME_SIZE);
        }
        return frame;
    }
}
