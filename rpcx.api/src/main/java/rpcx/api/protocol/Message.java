package rpcx.api.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One rpcx frame: header flags, seq, service path and method, metadata and payload, exactly as on the wire.
 * Immutable; the {@code with...} methods return changed copies. The payload is as on the wire, so it is still
 * compressed when {@link #compressType()} is not {@link CompressType#NONE}.
 */
public final class Message {
    /** The first byte of every frame. */
    public static final byte MAGIC = 0x08;
    /** The metadata key carrying an error string on error responses. */
    public static final String ERROR_KEY = "__rpcx_error__";
    /** The metadata key carrying the auth token. */
    public static final String AUTH_KEY = "__AUTH";
    /** The metadata key carrying the caller's remaining deadline in milliseconds. */
    public static final String SERVER_TIMEOUT_KEY = "__ServerTimeout";

    static final int RESPONSE_BIT = 0x80;
    static final int HEARTBEAT_BIT = 0x40;
    static final int ONEWAY_BIT = 0x20;
    static final int COMPRESS_MASK = 0x1C;
    static final int STATUS_MASK = 0x03;

    private static final byte[] EMPTY = new byte[0];

    private final byte version;
    private final byte flags;
    private final byte serializeType;
    private final long seq;
    private final String servicePath;
    private final String serviceMethod;
    private final Map<String, String> metadata;
    private final byte[] payload;

    Message(byte version, byte flags, byte serializeType, long seq, String servicePath, String serviceMethod,
            Map<String, String> metadata, byte[] payload) {
        this.version = version;
        this.flags = flags;
        this.serializeType = serializeType;
        this.seq = seq;
        this.servicePath = Objects.requireNonNull(servicePath, "servicePath");
        this.serviceMethod = Objects.requireNonNull(serviceMethod, "serviceMethod");
        this.metadata = metadata;
        this.payload = payload == null ? EMPTY : payload;
    }

    /** A request frame (not oneway, not heartbeat, no compression). The metadata map is copied. */
    public static Message request(long seq, String servicePath, String serviceMethod, int serializeType,
                                  Map<String, String> metadata, byte[] payload) {
        checkSerializeType(serializeType);
        return new Message((byte) 0, (byte) 0, (byte) serializeType, seq, servicePath, serviceMethod,
                copy(metadata), payload);
    }

    private static Map<String, String> copy(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    private static void checkSerializeType(int serializeType) {
        if (serializeType < 0 || serializeType > SerializeType.MAX) {
            throw new IllegalArgumentException("serialize type must be 0.." + SerializeType.MAX + ": " + serializeType);
        }
    }

    /** The version byte (rpcx always sends 0; echoed in responses). */
    public int version() {
        return version & 0xFF;
    }

    /** Flags byte A (byte 2 of the header) as an unsigned value. */
    public int flags() {
        return flags & 0xFF;
    }

    /** True for a response, false for a request. */
    public boolean isResponse() {
        return (flags & RESPONSE_BIT) != 0;
    }

    /** True for a heartbeat frame. */
    public boolean isHeartbeat() {
        return (flags & HEARTBEAT_BIT) != 0;
    }

    /** True when the sender expects no response. */
    public boolean isOneway() {
        return (flags & ONEWAY_BIT) != 0;
    }

    /** The compression of the payload (0 = none, 1 = gzip). */
    public int compressType() {
        return (flags & COMPRESS_MASK) >> 2;
    }

    /** True when the status bits say Error. */
    public boolean isError() {
        return (flags & STATUS_MASK) == 1;
    }

    /** The status bits (0 = normal, 1 = error). */
    public int status() {
        return flags & STATUS_MASK;
    }

    /** The payload's SerializeType (high nibble of header byte 3). */
    public int serializeType() {
        return serializeType;
    }

    /** The message id: responses echo the request's seq. */
    public long seq() {
        return seq;
    }

    /** The service name, e.g. {@code Arith}. */
    public String servicePath() {
        return servicePath;
    }

    /** The method name, e.g. {@code Mul}. */
    public String serviceMethod() {
        return serviceMethod;
    }

    /** The metadata (unmodifiable; order carries no meaning). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The payload as on the wire. Callers must not modify the array. */
    public byte[] payload() {
        return payload;
    }

    /** The payload length in bytes. */
    public int payloadLength() {
        return payload.length;
    }

    /** The server's error text ({@code __rpcx_error__}), or null. */
    public String errorMessage() {
        return metadata.get(ERROR_KEY);
    }

    private Message withFlags(int newFlags) {
        return new Message(version, (byte) newFlags, serializeType, seq, servicePath, serviceMethod, metadata, payload);
    }

    /** A copy marked as response (or request). */
    public Message withResponse(boolean response) {
        return withFlags(response ? flags | RESPONSE_BIT : flags & ~RESPONSE_BIT);
    }

    /** A copy with the heartbeat bit set or cleared. */
    public Message withHeartbeat(boolean heartbeat) {
        return withFlags(heartbeat ? flags | HEARTBEAT_BIT : flags & ~HEARTBEAT_BIT);
    }

    /** A copy with the oneway bit set or cleared. */
    public Message withOneway(boolean oneway) {
        return withFlags(oneway ? flags | ONEWAY_BIT : flags & ~ONEWAY_BIT);
    }

    /** A copy with the compress type bits set (the payload is not touched). */
    public Message withCompressType(int compressType) {
        if (compressType < 0 || compressType > CompressType.MAX) {
            throw new IllegalArgumentException("compress type must be 0.." + CompressType.MAX + ": " + compressType);
        }
        return withFlags((flags & ~COMPRESS_MASK) | (compressType << 2));
    }

    /** A copy with the status bits set to Error or Normal. */
    public Message withError(boolean error) {
        return withFlags((flags & ~STATUS_MASK) | (error ? 1 : 0));
    }

    /** A copy with another seq. */
    public Message withSeq(long newSeq) {
        return new Message(version, flags, serializeType, newSeq, servicePath, serviceMethod, metadata, payload);
    }

    /** A copy with another serialize type. */
    public Message withSerializeType(int type) {
        checkSerializeType(type);
        return new Message(version, flags, (byte) type, seq, servicePath, serviceMethod, metadata, payload);
    }

    /** A copy addressed to another service and method, everything else kept (an alias plugin's rewrite). */
    public Message withService(String newServicePath, String newServiceMethod) {
        return new Message(version, flags, serializeType, seq, java.util.Objects.requireNonNull(newServicePath, "servicePath"),
                java.util.Objects.requireNonNull(newServiceMethod, "serviceMethod"), metadata, payload);
    }

    /** A copy with other metadata (copied). */
    public Message withMetadata(Map<String, String> newMetadata) {
        return new Message(version, flags, serializeType, seq, servicePath, serviceMethod, copy(newMetadata), payload);
    }

    /** A copy with another payload (not copied). */
    public Message withPayload(byte[] newPayload) {
        return new Message(version, flags, serializeType, seq, servicePath, serviceMethod, metadata, newPayload);
    }

    /**
     * The response skeleton Go's server builds from a request ({@code req.Clone()}): the whole header is kept
     * (seq, version, serialize type, heartbeat/oneway/status bits), compression cleared, the response bit set,
     * path and method echoed, metadata and payload empty.
     */
    public Message toResponse() {
        int f = (flags & ~COMPRESS_MASK) | RESPONSE_BIT;
        return new Message(version, (byte) f, serializeType, seq, servicePath, serviceMethod, Map.of(), EMPTY);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.version == version && m.flags == flags && m.serializeType == serializeType
                && m.seq == seq && m.servicePath.equals(servicePath) && m.serviceMethod.equals(serviceMethod)
                && m.metadata.equals(metadata) && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flags, serializeType, seq, servicePath, serviceMethod, metadata) * 31 + Arrays.hashCode(payload);
    }

    /** A one-line description without metadata values of reserved ({@code __}) keys and without the payload. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Message[");
        sb.append(isResponse() ? "response" : "request");
        if (isHeartbeat()) {
            sb.append(" heartbeat");
        }
        if (isOneway()) {
            sb.append(" oneway");
        }
        if (isError()) {
            sb.append(" error");
        }
        sb.append(" seq=").append(Long.toUnsignedString(seq))
                .append(' ').append(servicePath).append('.').append(serviceMethod)
                .append(' ').append(SerializeType.name(serializeType));
        if (compressType() != 0) {
            sb.append(" compress=").append(compressType());
        }
        sb.append(" meta={");
        boolean first = true;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            boolean secret = e.getKey().startsWith("__") && !e.getKey().equals(ERROR_KEY) && !e.getKey().equals(SERVER_TIMEOUT_KEY);
            sb.append(e.getKey()).append('=').append(secret ? "***" : e.getValue());
        }
        return sb.append("} payload=").append(payload.length).append("B]").toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
