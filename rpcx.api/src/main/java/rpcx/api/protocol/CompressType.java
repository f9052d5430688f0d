package rpcx.api.protocol;

/** The CompressType ids of the wire header (bits 4..2 of byte 2). */
public final class CompressType {
    /** No compression. */
    public static final int NONE = 0;
    /** gzip (RFC 1952) of the payload only. */
    public static final int GZIP = 1;
    /** The largest id the 3-bit header field can carry. */
    public static final int MAX = 7;

    private CompressType() {
    }
}
