package rpcx.api.internal;

import java.lang.reflect.Type;

import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Codec;
import rpcx.api.spi.CodecException;
import rpcx.api.spi.CodecProvider;

/** SerializeType 0: the payload is the raw bytes (args and reply must be {@code byte[]}). */
public final class RawCodecProvider implements CodecProvider {
    @Override
    public String name() {
        return "raw";
    }

    @Override
    public int serializeType() {
        return SerializeType.NONE;
    }

    @Override
    public Codec create() {
        return RawCodec.INSTANCE;
    }

    enum RawCodec implements Codec {
        INSTANCE;

        @Override
        public byte[] encode(Object value) {
            if (value == null) {
                return new byte[0];
            }
            if (value instanceof byte[] b) {
                return b;
            }
            throw new CodecException("the raw codec (SerializeType 0) carries byte[] only, not " + value.getClass().getName());
        }

        @Override
        public Object decode(byte[] data, Type type) {
            if (type == byte[].class || type == Object.class) {
                return data;
            }
            throw new CodecException("the raw codec (SerializeType 0) decodes into byte[] only, not " + type.getTypeName());
        }
    }
}
