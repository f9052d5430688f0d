package com.example.rpcx.codec.cbor;

import java.io.IOException;
import java.lang.reflect.Type;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;

import rpcx.api.GoType;
import rpcx.api.spi.Codec;
import rpcx.api.spi.CodecException;
import rpcx.api.spi.CodecFailure;
import rpcx.api.spi.StructTypes;

/**
 * The CBOR codec (stateless, thread-safe) on Jackson's streaming {@link CBORGenerator} and {@link CBORParser}: no
 * databind, no tree; {@link rpcx.api.spi.StructModel} drives both directions. Encoding writes what Go's
 * {@code cbor.Marshal} (github.com/fxamacker/cbor/v2, default options) writes for the corresponding Go value;
 * decoding reads exactly one CBOR data item, like Go's {@code cbor.Unmarshal} (trailing bytes are an error), within
 * the limits of {@link CborReader}.
 */
final class CborCodec implements Codec {
    static final CborCodec INSTANCE = new CborCodec();

    private static final CBORFactory FACTORY = CBORFactory.builder()
            // Go writes every integer and length in its shortest form, and a float64 always as 8 bytes
            .enable(CBORGenerator.Feature.WRITE_MINIMAL_INTS)
            .disable(CBORGenerator.Feature.WRITE_MINIMAL_DOUBLES)
            // simple values other than false/true/null/undefined come as CBORSimpleValue (then rejected), not as ints
            .enable(CBORParser.Feature.READ_SIMPLE_VALUE_AS_EMBEDDED_OBJECT)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(CborReader.MAX_NESTED_LEVELS + 1)
                    .build())
            .build();

    private CborCodec() {
    }

    @Override
    public byte[] encode(Object value) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(256);
        try {
            try (CBORGenerator g = FACTORY.createGenerator(bytes)) {
                new CborWriter(g).write(value, GoType.AUTO, 0);
            }
            return bytes.toByteArray();
        } catch (CodecFailure f) {
            throw f.toCodecException("cbor: cannot encode " + what(value));
        } catch (IOException | RuntimeException e) {
            throw new CodecException("cbor: cannot encode " + what(value) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Object decode(byte[] data, Type type) {
        if (type == null) {
            throw new CodecException("cbor: no target type given for decoding");
        }
        String context = "cbor: cannot decode " + StructTypes.name(type);
        if (data == null || data.length == 0) {
            throw new CodecException(context + ": the payload is empty");
        }
        try (CBORParser p = FACTORY.createParser(data)) {
            p.nextToken();
            Object value = new CborReader(p).read(type);
            if (p.nextToken() != null) {
                // Go's cbor.Unmarshal: ExtraneousDataError
                throw new CodecFailure("extraneous data after the CBOR data item (at byte "
                        + p.currentTokenLocation().getByteOffset() + " of " + data.length + ")");
            }
            return value;
        } catch (CodecFailure f) {
            throw f.toCodecException(context);
        } catch (JsonProcessingException e) {
            throw new CodecException(context + ": malformed CBOR: " + e.getOriginalMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new CodecException(context + ": " + e, e);
        }
    }

    /** Whether the token is a CBOR byte string (the parser reports them as embedded objects). */
    static boolean isBytes(CBORParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_EMBEDDED_OBJECT && p.getEmbeddedObject() instanceof byte[];
    }

    private static String what(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    @Override
    public String toString() {
        return "cbor codec (SerializeType 5)";
    }
}
