package rpcx.api.spi;

/** A ServiceLoader provider of a payload compressor, identified on the wire by its CompressType. */
public interface CompressorProvider extends Provider {
    /** The CompressType id (1..7) this compressor serves; two providers of one id are a start-up error. */
    int compressType();

    /** Creates the compressor. */
    Compressor create();
}
