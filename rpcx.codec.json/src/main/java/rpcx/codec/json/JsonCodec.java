package rpcx.codec.json;

import java.io.IOException;
import java.lang.reflect.Type;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import rpcx.api.GoType;
import rpcx.api.spi.Codec;
import rpcx.api.spi.CodecException;
import rpcx.api.spi.CodecFailure;
import rpcx.api.spi.StructTypes;

/**
 * The JSON codec (stateless, thread-safe), on jackson-core's streaming parser and generator: no intermediate
 * tree, the {@link rpcx.api.spi.StructModel} drives both directions. Like Go rpcx's JSON codec, decoding reads
 * the first JSON value and ignores anything after it.
 */
final class JsonCodec implements Codec {
    static final JsonCodec INSTANCE = new JsonCodec();

    /** Go's escaping; characters outside the BMP as raw UTF-8 like Go (not as escaped surrogate pairs). */
    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .characterEscapes(GoEscapes.INSTANCE)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private JsonCodec() {
    }

    @Override
    public byte[] encode(Object value) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(256);
        try {
            try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
                new JsonWriter(g).write(value, GoType.AUTO, 0);
            }
            return bytes.toByteArray();
        } catch (CodecFailure f) {
            throw f.toCodecException("json: cannot encode " + what(value));
        } catch (CodecException e) {
            throw new CodecException("json: cannot encode " + what(value) + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new CodecException("json: cannot encode " + what(value) + ": " + e, e);
        }
    }

    @Override
    public Object decode(byte[] data, Type type) {
        if (type == null) {
            throw new CodecException("json: no target type given for decoding");
        }
        try (JsonParser p = FACTORY.createParser(data == null ? new byte[0] : data)) {
            if (p.nextToken() == null) {
                throw new CodecException("json: cannot decode " + StructTypes.name(type) + ": the payload is empty");
            }
            return new JsonReader(p).read(type, GoType.AUTO, 0);
        } catch (CodecFailure f) {
            throw f.toCodecException("json: cannot decode " + StructTypes.name(type));
        } catch (CodecException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw new CodecException("json: cannot decode " + StructTypes.name(type) + ": invalid JSON: "
                    + e.getOriginalMessage() + JsonReader.where(e.getLocation()), e);
        } catch (IOException | RuntimeException e) {
            throw new CodecException("json: cannot decode " + StructTypes.name(type) + ": " + e, e);
        }
    }

    private static String what(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    @Override
    public String toString() {
        return "json codec (SerializeType 1)";
    }
}
