package rpcx.api;

import java.util.Arrays;
import java.util.Objects;

import rpcx.api.protocol.CompressType;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Codec;
import rpcx.api.spi.Compressor;

/**
 * Codecs and compressors given in code rather than found on the module path: the analogue of Go's
 * {@code share.Codecs[protocol.SerializeType(5)] = &GobCodec{}}, for users who do not package a codec as a module.
 * Immutable; pass it with {@link ServerOptions#withCodec} / {@link ClientOptions#withCodec}. An id given here wins
 * over a ServiceLoader provider of the same id (explicit beats discovered), so it can also replace a built-in codec.
 */
public final class Codecs {
    private static final Codecs NONE = new Codecs(new Codec[SerializeType.MAX + 1], new Compressor[CompressType.MAX + 1]);

    private final Codec[] codecs;
    private final Compressor[] compressors;

    private Codecs(Codec[] codecs, Compressor[] compressors) {
        this.codecs = codecs;
        this.compressors = compressors;
    }

    /**
     * The codec the module path provides for a SerializeType — the one servers and clients use — for tools and
     * HTTP clients that encode payloads themselves (e.g. a msgpack body for the HTTP gateway).
     *
     * @throws RpcConfigurationException when no module provides it (the message names the module to add)
     */
    public static Codec lookup(int serializeType) {
        return Loaded.CODECS.require(serializeType);
    }

    /** The module path's codecs, loaded on first use. */
    private static final class Loaded {
        static final rpcx.api.internal.CodecSet CODECS = rpcx.api.internal.CodecSet.load();
    }

    /** No overrides: every codec and compressor comes from the module path. */
    public static Codecs none() {
        return NONE;
    }

    /** These overrides plus a codec for a SerializeType (0..15). */
    public Codecs with(int serializeType, Codec codec) {
        if (serializeType < 0 || serializeType > SerializeType.MAX) {
            throw new IllegalArgumentException("serializeType must be 0..15, not " + serializeType);
        }
        Codec[] c = codecs.clone();
        c[serializeType] = Objects.requireNonNull(codec, "codec");
        return new Codecs(c, compressors);
    }

    /** These overrides plus a compressor for a CompressType (1..7). */
    public Codecs withCompressor(int compressType, Compressor compressor) {
        if (compressType < 1 || compressType > CompressType.MAX) {
            throw new IllegalArgumentException("compressType must be 1..7, not " + compressType);
        }
        Compressor[] c = compressors.clone();
        c[compressType] = Objects.requireNonNull(compressor, "compressor");
        return new Codecs(codecs, c);
    }

    /** The codec given for a SerializeType, or null. */
    public Codec codec(int serializeType) {
        return serializeType >= 0 && serializeType < codecs.length ? codecs[serializeType] : null;
    }

    /** The compressor given for a CompressType, or null. */
    public Compressor compressor(int compressType) {
        return compressType >= 0 && compressType < compressors.length ? compressors[compressType] : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Codecs other && Arrays.equals(codecs, other.codecs) && Arrays.equals(compressors, other.compressors);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(codecs) + Arrays.hashCode(compressors);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Codecs[");
        for (int i = 0; i < codecs.length; i++) {
            if (codecs[i] != null) {
                sb.append(sb.length() > 7 ? ", " : "").append("serializeType ").append(i).append('=').append(codecs[i]);
            }
        }
        for (int i = 0; i < compressors.length; i++) {
            if (compressors[i] != null) {
                sb.append(sb.length() > 7 ? ", " : "").append("compressType ").append(i).append('=').append(compressors[i]);
            }
        }
        return sb.append(']').toString();
    }
}
