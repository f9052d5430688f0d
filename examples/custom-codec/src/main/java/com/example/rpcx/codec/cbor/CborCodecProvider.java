package com.example.rpcx.codec.cbor;

import rpcx.api.spi.Codec;
import rpcx.api.spi.CodecProvider;

/**
 * Provides the CBOR codec: SerializeType 5, name {@code "cbor"}. ServiceLoader creates it (module-info's
 * {@code provides}, or {@code META-INF/services} on the class path), so it must stay public with a public
 * no-argument constructor; its package need not be exported.
 *
 * <p>Go rpcx has no CBOR codec of its own; a Go peer registers one under the same id:
 * {@code share.Codecs[protocol.SerializeType(5)] = CBORCodec{}} with github.com/fxamacker/cbor/v2 (see README).
 */
public final class CborCodecProvider implements CodecProvider {
    /** The SerializeType this codec claims. Go rpcx uses 0..4 (raw, JSON, protobuf, msgpack, thrift). */
    public static final int SERIALIZE_TYPE = 5;

    /** Creates the provider (ServiceLoader calls this). */
    public CborCodecProvider() {
    }

    /** Returns {@code "cbor"}. */
    @Override
    public String name() {
        return "cbor";
    }

    /** Returns 5. */
    @Override
    public int serializeType() {
        return SERIALIZE_TYPE;
    }

    /** Returns the shared, stateless, thread-safe CBOR codec. */
    @Override
    public Codec create() {
        return CborCodec.INSTANCE;
    }
}
