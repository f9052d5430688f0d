package rpcx.api.internal;

import java.lang.reflect.Type;
import java.util.Map;

import rpcx.api.Codecs;
import rpcx.api.RpcConfigurationException;
import rpcx.api.protocol.CompressType;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.ProtocolException;
import rpcx.api.spi.Codec;
import rpcx.api.spi.CodecProvider;
import rpcx.api.spi.Compressor;
import rpcx.api.spi.CompressorProvider;

/**
 * The codecs and compressors found on the module path, resolved once when a server or client is built (so a
 * duplicate wire id fails at start-up), and the payload rules shared by both sides.
 */
public final class CodecSet {
    /** Payloads above this size are compressed when compression is asked for, as Go does. */
    public static final int COMPRESS_THRESHOLD = 1024;

    private final Codec[] codecs = new Codec[16];
    private final Compressor[] compressors = new Compressor[8];

    private CodecSet(Map<Integer, CodecProvider> codecProviders, Map<Integer, CompressorProvider> compressorProviders) {
        codecProviders.forEach((id, p) -> {
            if (id < 0 || id > 15) {
                throw new RpcConfigurationException("codec '" + p.name() + "' from " + Providers.origin(p)
                        + " claims SerializeType " + id + ", outside the wire range 0..15");
            }
            codecs[id] = p.create();
        });
        compressorProviders.forEach((id, p) -> {
            if (id < 1 || id > 7) {
                throw new RpcConfigurationException("compressor '" + p.name() + "' from " + Providers.origin(p)
                        + " claims CompressType " + id + ", outside the wire range 1..7");
            }
            compressors[id] = p.create();
        });
    }

    /** Loads every codec and compressor provider. */
    public static CodecSet load() {
        return load(Codecs.none());
    }

    /** Loads every codec and compressor provider, then puts the ones given in code over them. */
    public static CodecSet load(Codecs given) {
        CodecSet set = new CodecSet(Providers.codecs(), Providers.compressors());
        for (int id = 0; id < set.codecs.length; id++) {
            if (given.codec(id) != null) {
                set.codecs[id] = given.codec(id);
            }
        }
        for (int id = 1; id < set.compressors.length; id++) {
            if (given.compressor(id) != null) {
                set.compressors[id] = given.compressor(id);
            }
        }
        return set;
    }

    /** The codec of a SerializeType, or null. */
    public Codec find(int serializeType) {
        return serializeType >= 0 && serializeType < codecs.length ? codecs[serializeType] : null;
    }

    /** The codec of a SerializeType, or a configuration error naming the module to add. */
    public Codec require(int serializeType) {
        Codec c = find(serializeType);
        if (c == null) {
            throw new RpcConfigurationException(Providers.missingCodec(serializeType));
        }
        return c;
    }

    /** Whether a codec for the id is present. */
    public boolean hasCodec(int serializeType) {
        return find(serializeType) != null;
    }

    /** The compressor of a CompressType, or null. */
    public Compressor compressor(int compressType) {
        return compressType > 0 && compressType < compressors.length ? compressors[compressType] : null;
    }

    /** The payload of a frame, inflated (bounded by the limits) when it is compressed. */
    public byte[] inflatedPayload(Message m, FrameLimits limits) {
        int ct = m.compressType();
        if (ct == CompressType.NONE) {
            return m.payload();
        }
        Compressor c = compressor(ct);
        if (c == null) {
            throw new ProtocolException("unsupported compressor: CompressType " + ct + " (add the module providing it)");
        }
        return c.decompress(m.payload(), limits.maxMessageLength());
    }

    /** A frame with the payload set, compressed with {@code compressType} when it is over the threshold. */
    public Message withPayload(Message m, byte[] payload, int compressType) {
        if (compressType != CompressType.NONE && payload.length > COMPRESS_THRESHOLD) {
            Compressor c = compressor(compressType);
            if (c != null) {
                return m.withPayload(c.compress(payload)).withCompressType(compressType);
            }
        }
        return m.withPayload(payload).withCompressType(CompressType.NONE);
    }

    /** Decodes with the codec of a SerializeType. */
    public Object decode(int serializeType, byte[] data, Type type) {
        return require(serializeType).decode(data, type);
    }
}
