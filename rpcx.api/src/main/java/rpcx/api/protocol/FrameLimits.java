package rpcx.api.protocol;

/**
 * Bounds every decoder checks before it allocates. {@code maxMessageLength} caps {@code totalLen} (everything
 * after the 16-byte prefix) and any inflated payload; Go's default is unlimited, ours is 8 MiB.
 *
 * @param maxMessageLength   largest accepted {@code totalLen} and largest inflated payload, in bytes
 * @param maxMetadataEntries largest number of metadata entries in one frame
 */
public record FrameLimits(int maxMessageLength, int maxMetadataEntries) {
    /** 8 MiB, the default maximum message size (Dubbo's default; Go rpcx has none). */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 8 * 1024 * 1024;
    /** 1024 metadata entries: far above what any rpcx peer sends, far below an allocation bomb. */
    public static final int DEFAULT_MAX_METADATA_ENTRIES = 1024;
    /** The defaults. */
    public static final FrameLimits DEFAULT = new FrameLimits(DEFAULT_MAX_MESSAGE_LENGTH, DEFAULT_MAX_METADATA_ENTRIES);

    /** Validates the bounds. */
    public FrameLimits {
        if (maxMessageLength < FrameCodec.MIN_TOTAL_LENGTH) {
            throw new IllegalArgumentException("maxMessageLength must be at least " + FrameCodec.MIN_TOTAL_LENGTH + ": " + maxMessageLength);
        }
        if (maxMetadataEntries < 0) {
            throw new IllegalArgumentException("maxMetadataEntries must be >= 0: " + maxMetadataEntries);
        }
    }

    /** These limits with another maximum message size. */
    public FrameLimits withMaxMessageLength(int max) {
        return new FrameLimits(max, maxMetadataEntries);
    }
}
