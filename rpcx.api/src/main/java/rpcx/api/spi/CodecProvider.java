package rpcx.api.spi;

/** A ServiceLoader provider of a payload codec, identified on the wire by its SerializeType. */
public interface CodecProvider extends Provider {
    /** The SerializeType id (0..15) this codec serves; two providers of one id are a start-up error. */
    int serializeType();

    /** Creates the codec. */
    Codec create();
}
