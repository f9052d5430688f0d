package rpcx.api.protocol;

/** The SerializeType ids of the wire header (high nibble of byte 3), as Go rpcx numbers them. */
public final class SerializeType {
    /** Raw bytes, no codec ({@code SerializeNone}). */
    public static final int NONE = 0;
    /** JSON ({@code encoding/json} in Go). */
    public static final int JSON = 1;
    /** Protocol Buffers. */
    public static final int PROTOBUF = 2;
    /** MessagePack, the Go client's default. */
    public static final int MSGPACK = 3;
    /** Thrift TBinaryProtocol, bare struct. */
    public static final int THRIFT = 4;
    /** The largest id the 4-bit header field can carry. */
    public static final int MAX = 15;

    private SerializeType() {
    }

    /** A readable name for an id, e.g. {@code "msgpack"}, or {@code "serialize type 9"} for custom ids. */
    public static String name(int id) {
        return switch (id) {
            case NONE -> "raw";
            case JSON -> "json";
            case PROTOBUF -> "protobuf";
            case MSGPACK -> "msgpack";
            case THRIFT -> "thrift";
            default -> "serialize type " + id;
        };
    }
}
