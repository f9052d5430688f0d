package rpcx.bench.harness;

/**
 * The fill rule of rpcx-benchmark's {@code PrepareArgs}, shared by every target so they all send the same logical
 * message: every string this text, every integer 100000, every bool true, {@code field5} empty.
 */
public final class BenchPayload {
    /** The string every string field carries (54 bytes of UTF-8). */
    public static final String TEXT = "许多往事在眼前一幕一幕，变的那麼模糊";
    /** The value of every int32/int64 field. */
    public static final int INT = 100000;
    /** The protobuf encoding size the filled message must have. */
    public static final int PROTO_SIZE = 581;

    private BenchPayload() {
    }

    /** Fails the run when a target's encoded message is not the 581 bytes the spec requires. */
    public static void checkProtoSize(int size) {
        if (size != PROTO_SIZE) {
            throw new IllegalStateException("BenchmarkMessage encodes to " + size + " bytes, the benchmark requires "
                    + PROTO_SIZE + ": the fill rule or the schema differs from spec/benchmark.md");
        }
    }
}
