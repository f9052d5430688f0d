package rpcx.api.protocol;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The bounded rpcx frame encoder and decoder every transport reuses. Big-endian; a frame is the 16-byte prefix
 * (magic, version, flags A, flags B, seq, totalLen) followed by {@code totalLen} bytes of four length-prefixed
 * sections: servicePath, serviceMethod, metadata, payload.
 *
 * <p>Decoding never trusts a length: {@code totalLen} is checked against {@link FrameLimits#maxMessageLength()}
 * before a byte of body is awaited, and every inner length against what is left of the frame, before anything is
 * allocated.
 */
public final class FrameCodec {
    /** Length of the fixed prefix: 12-byte header plus the 4-byte totalLen. */
    public static final int PREFIX_LENGTH = 16;
    /** The smallest valid totalLen: four empty sections. */
    public static final int MIN_TOTAL_LENGTH = 16;

    private FrameCodec() {
    }

    /**
     * Checks a frame prefix and returns its {@code totalLen}, the number of bytes still to read.
     *
     * @param prefix at least {@link #PREFIX_LENGTH} readable bytes starting at its position (not consumed)
     * @throws ProtocolException        on a wrong magic number or a totalLen too small for four sections
     * @throws FrameTooLargeException   when totalLen exceeds the maximum
     */
    public static int checkPrefix(ByteBuffer prefix, FrameLimits limits) {
        if (prefix.remaining() < PREFIX_LENGTH) {
            throw new ProtocolException("truncated header: " + prefix.remaining() + " of " + PREFIX_LENGTH + " bytes");
        }
        int p = prefix.position();
        byte magic = prefix.get(p);
        if (magic != Message.MAGIC) {
            throw new ProtocolException(String.format("wrong magic number 0x%02x (an rpcx frame starts with 0x08)", magic & 0xFF));
        }
        return checkTotalLength(Integer.toUnsignedLong(prefix.order(ByteOrder.BIG_ENDIAN).getInt(p + 12)), limits);
    }

    /**
     * Checks a frame's {@code totalLen} (read as an unsigned 32-bit number) and returns it.
     *
     * @throws ProtocolException      when it is too small for four sections
     * @throws FrameTooLargeException when it exceeds the maximum
     */
    public static int checkTotalLength(long totalLen, FrameLimits limits) {
        if (totalLen > limits.maxMessageLength()) {
            throw new FrameTooLargeException("frame totalLen", totalLen, limits.maxMessageLength());
        }
        if (totalLen < MIN_TOTAL_LENGTH) {
            throw new ProtocolException("totalLen " + totalLen + " is too small for the four length-prefixed sections (minimum " + MIN_TOTAL_LENGTH + ")");
        }
        return (int) totalLen;
    }

    /**
     * Decodes one whole frame: the 16-byte prefix followed by exactly {@code totalLen} bytes.
     *
     * @param frame the frame from its position to its limit; the position is advanced past the frame
     * @throws ProtocolException on any malformed field (the message names it)
     */
    public static Message decode(ByteBuffer frame, FrameLimits limits) {
        ByteBuffer in = frame.order(ByteOrder.BIG_ENDIAN);
        int total = checkPrefix(in, limits);
        if (in.remaining() - PREFIX_LENGTH < total) {
            throw new ProtocolException("truncated frame: totalLen " + total + " but only " + (in.remaining() - PREFIX_LENGTH) + " bytes follow the header");
        }
        int start = in.position();
        byte version = in.get(start + 1);
        byte flags = in.get(start + 2);
        int serializeType = (in.get(start + 3) & 0xF0) >> 4;
        long seq = in.getLong(start + 4);
        int end = start + PREFIX_LENGTH + total;
        in.position(start + PREFIX_LENGTH);
        try {
            String path = readString(in, end, "servicePath");
            String method = readString(in, end, "serviceMethod");
            int metaLen = readLength(in, end, "metadata");
            Map<String, String> metadata = metaLen == 0 ? Map.of() : readMetadata(in, in.position() + metaLen, limits);
            int payloadLen = readLength(in, end, "payload");
            if (in.position() + payloadLen != end) {
                throw new ProtocolException("payloadLen " + payloadLen + " does not match the frame: "
                        + (end - in.position()) + " bytes remain after the metadata");
            }
            byte[] payload = new byte[payloadLen];
            in.get(payload);
            return new Message(version, flags, (byte) serializeType, seq, path, method, metadata, payload);
        } catch (BufferUnderflowException e) {
            throw new ProtocolException("truncated frame section", e);
        } finally {
            in.position(end);
        }
    }

    private static int readLength(ByteBuffer in, int end, String what) {
        if (end - in.position() < 4) {
            throw new ProtocolException(what + " length missing: the frame ends " + (end - in.position()) + " bytes early");
        }
        long len = Integer.toUnsignedLong(in.getInt());
        if (len > end - in.position()) {
            throw new ProtocolException(what + " length " + len + " exceeds the " + (end - in.position()) + " bytes left in the frame");
        }
        return (int) len;
    }

    private static String readString(ByteBuffer in, int end, String what) {
        int len = readLength(in, end, what);
        return utf8(in, len, what);
    }

    private static String utf8(ByteBuffer in, int len, String what) {
        return len == 0 ? "" : Utf8Cache.decode(in, len, what);
    }

    private static String lenientUtf8(ByteBuffer in, int len) {
        byte[] b = new byte[len];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Map<String, String> readMetadata(ByteBuffer in, int metaEnd, FrameLimits limits) {
        Map<String, String> map = new HashMap<>();
        int entries = 0;
        while (in.position() < metaEnd) {
            if (++entries > limits.maxMetadataEntries()) {
                throw new ProtocolException("more than " + limits.maxMetadataEntries() + " metadata entries");
            }
            int keyLen = readLength(in, metaEnd, "metadata key");
            String key = utf8(in, keyLen, "metadata key");
            int valueLen = readLength(in, metaEnd, "metadata value");
            String value = lenientUtf8(in, valueLen); // Go strings are bytes: a stray byte must not cost the connection
            map.put(key, value); // a repeated key: the last one wins, as in Go
        }
        return Map.copyOf(map);
    }

    /** A message with its strings already encoded, ready to be written; see {@link #prepare(Message)}. */
    public static final class Encoded {
        private static final byte[][] NO_META = new byte[0][];
        private final Message message;
        private final byte[] path;
        private final byte[] method;
        private final byte[][] meta;
        private final int metaLen;
        private final int size;

        private Encoded(Message m) {
            this.message = m;
            this.path = Utf8Cache.encode(m.servicePath());
            this.method = Utf8Cache.encode(m.serviceMethod());
            this.meta = m.metadata().isEmpty() ? NO_META : new byte[m.metadata().size() * 2][];
            int i = 0;
            int ml = 0;
            for (Map.Entry<String, String> e : m.metadata().entrySet()) {
                meta[i] = Utf8Cache.encode(e.getKey());
                meta[i + 1] = Message.utf8(e.getValue());
                ml += 8 + meta[i].length + meta[i + 1].length;
                i += 2;
            }
            this.metaLen = ml;
            long total = PREFIX_LENGTH + 16L + path.length + method.length + ml + m.payloadLength();
            if (total > Integer.MAX_VALUE) {
                throw new FrameTooLargeException("encoded frame", total - PREFIX_LENGTH, Integer.MAX_VALUE - PREFIX_LENGTH);
            }
            this.size = (int) total;
        }

        /** Whole frame size in bytes, prefix included. */
        public int size() {
            return size;
        }

        /** The totalLen field of the frame. */
        public int totalLength() {
            return size - PREFIX_LENGTH;
        }

        /** Writes the whole frame at the buffer's position, which advances by {@link #size()}. */
        public void writeTo(ByteBuffer out) {
            Message m = message;
            ByteBuffer o = out.order(ByteOrder.BIG_ENDIAN);
            o.put(Message.MAGIC).put((byte) m.version()).put((byte) m.flags()).put((byte) (m.serializeType() << 4));
            o.putLong(m.seq()).putInt(totalLength());
            o.putInt(path.length).put(path);
            o.putInt(method.length).put(method);
            o.putInt(metaLen);
            for (byte[] part : meta) {
                o.putInt(part.length).put(part);
            }
            o.putInt(m.payloadLength()).put(m.payload());
        }
    }

    /** Encodes the message's strings once; the result knows its size and writes the frame. */
    public static Encoded prepare(Message message) {
        return new Encoded(message);
    }

    /** Encodes a whole frame into a new array. */
    public static byte[] encode(Message message) {
        Encoded e = prepare(message);
        byte[] out = new byte[e.size()];
        e.writeTo(ByteBuffer.wrap(out));
        return out;
    }
}
