package rpcx.codec.json;

import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Codec;
import rpcx.api.spi.CodecProvider;

/**
 * Provides the JSON codec: SerializeType 1, name {@code "json"}. Its codec writes what Go's {@code encoding/json}
 * writes for the corresponding Go values and reads what Go rpcx's JSON codec reads.
 */
public final class JsonCodecProvider implements CodecProvider {

    /** Creates the provider (ServiceLoader calls this). */
    public JsonCodecProvider() {
    }

    /** Returns {@code "json"}. */
    @Override
    public String name() {
        return "json";
    }

    /** Returns 1 ({@link SerializeType#JSON}). */
    @Override
    public int serializeType() {
        return SerializeType.JSON;
    }

    /** Returns the shared, thread-safe JSON codec. */
    @Override
    public Codec create() {
        return JsonCodec.INSTANCE;
    }
}
