package rpcx.api.spi;

/** Compresses and inflates payloads for one CompressType. Thread-safe. */
public interface Compressor {
    /** Compresses a payload. */
    byte[] compress(byte[] data);

    /**
     * Inflates a payload, failing with {@link rpcx.api.protocol.FrameTooLargeException} as soon as the output
     * would exceed {@code maxLength}; never allocates more than that.
     *
     * @throws rpcx.api.protocol.ProtocolException when the data is not valid compressed data
     */
    byte[] decompress(byte[] data, int maxLength);
}
