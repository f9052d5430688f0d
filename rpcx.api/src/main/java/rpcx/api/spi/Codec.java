package rpcx.api.spi;

import java.lang.reflect.Type;

/**
 * Turns values into payload bytes and back for one SerializeType. Thread-safe. Codecs bind to the declared
 * type they are given and never read class names from the wire.
 */
public interface Codec {
    /**
     * Encodes a value.
     *
     * @throws CodecException when the value cannot be encoded by this codec
     */
    byte[] encode(Object value);

    /**
     * Decodes bytes into a value of the given type (a {@code Class} or a parameterized type). The value may share
     * {@code data} instead of copying parts of it (protobuf's string and bytes fields do): callers hand over an
     * array that nobody changes afterwards.
     *
     * @throws CodecException when the bytes are not a valid encoding of that type
     */
    Object decode(byte[] data, Type type);

    /**
     * The value Go would see in a freshly allocated variable of this type: the server encodes it as the payload of
     * an error reply and passes it to a method whose args decoded to nothing. Codecs whose types are not plain
     * records or POJOs (protobuf messages, thrift structs) return their empty message here.
     *
     * @throws CodecException when no zero value of the type can be made
     */
    default Object zeroValue(Type type) {
        return StructModel.zeroValue(type);
    }
}
