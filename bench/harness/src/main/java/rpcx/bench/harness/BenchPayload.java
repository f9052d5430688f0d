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

    /**
     * Fills a BenchmarkMessage builder (of whichever protobuf version the target uses) by the rule above, driven by
     * the message's descriptor so no field of the schema is missed, and returns it built, checked to be 581 bytes.
     */
    @SuppressWarnings("unchecked")
    public static <M extends com.google.protobuf.Message> M filled(com.google.protobuf.Message.Builder b) {
        for (com.google.protobuf.Descriptors.FieldDescriptor f : b.getDescriptorForType().getFields()) {
            if (f.isRepeated()) {
                continue; // field5: empty, as in PrepareArgs
            }
            switch (f.getJavaType()) {
                case STRING -> b.setField(f, TEXT);
                case INT -> b.setField(f, INT);
                case LONG -> b.setField(f, (long) INT);
                case BOOLEAN -> b.setField(f, Boolean.TRUE);
                default -> throw new IllegalStateException("BenchmarkMessage field " + f.getName() + " has type "
                        + f.getJavaType() + ", which the PrepareArgs fill rule does not cover");
            }
        }
        M m = (M) b.build();
        checkProtoSize(m.getSerializedSize());
        return m;
    }

    /** Fails the run when a target's encoded message is not the 581 bytes the spec requires. */
    public static void checkProtoSize(int size) {
        if (size != PROTO_SIZE) {
            throw new IllegalStateException("BenchmarkMessage encodes to " + size + " bytes, the benchmark requires "
                    + PROTO_SIZE + ": the fill rule or the schema differs from spec/benchmark.md");
        }
    }
}
