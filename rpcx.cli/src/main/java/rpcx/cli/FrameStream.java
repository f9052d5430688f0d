package rpcx.cli;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.ProtocolException;

/**
 * Frames out of a byte stream that arrives in pieces (a TCP direction, a hex dump): whole frames come out in order;
 * bytes that are not a frame end the stream (nothing after them is trusted).
 */
final class FrameStream {
    private final FrameLimits limits;
    private byte[] buffer = new byte[4096];
    private int length;
    private ProtocolException error;

    FrameStream(FrameLimits limits) {
        this.limits = limits;
    }

    /**
     * Appends bytes and returns the frames now complete. Bytes that are not a frame break the stream: the frames
     * before them are still returned, and {@link #error()} tells what was wrong.
     */
    List<Message> append(byte[] bytes, int offset, int count) {
        if (error != null) {
            return List.of();
        }
        if (length + count > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + count));
        }
        System.arraycopy(bytes, offset, buffer, length, count);
        length += count;
        List<Message> frames = new ArrayList<>();
        int at = 0;
        try {
            while (length - at >= FrameCodec.PREFIX_LENGTH) {
                int total = FrameCodec.checkPrefix(ByteBuffer.wrap(buffer, at, FrameCodec.PREFIX_LENGTH), limits);
                int whole = FrameCodec.PREFIX_LENGTH + total;
                if (length - at < whole) {
                    break;
                }
                frames.add(FrameCodec.decode(ByteBuffer.wrap(buffer, at, whole), limits));
                at += whole;
            }
        } catch (ProtocolException e) {
            error = e;
        }
        System.arraycopy(buffer, at, buffer, 0, length - at);
        length -= at;
        return frames;
    }

    /** What broke the stream, or null. */
    ProtocolException error() {
        return error;
    }

    /** Bytes of an unfinished frame left at the end. */
    int pending() {
        return length;
    }
}
