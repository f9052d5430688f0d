package rpcx.codec.msgpack;

import java.io.IOException;
import java.lang.reflect.Type;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

import rpcx.api.GoType;
import rpcx.api.spi.Codec;
import rpcx.api.spi.CodecException;
import rpcx.api.spi.CodecFailure;
import rpcx.api.spi.StructTypes;

/**
 * The MessagePack codec (stateless, thread-safe). Only heap {@code byte[]} buffers reach msgpack-core: as an
 * explicit module it cannot use direct buffers without extra JVM flags.
 */
final class MsgpackCodec implements Codec {
    static final MsgpackCodec INSTANCE = new MsgpackCodec();

    private static final MessagePack.PackerConfig PACKER = new MessagePack.PackerConfig().withBufferSize(1024);

    private MsgpackCodec() {
    }

    @Override
    public byte[] encode(Object value) {
        MessageBufferPacker packer = PACKER.newBufferPacker();
        try {
            new MsgpackWriter(packer).write(value, GoType.AUTO, 0);
            return packer.toByteArray();
        } catch (CodecFailure f) {
            throw f.toCodecException("msgpack: cannot encode " + what(value));
        } catch (IOException | MessagePackException e) {
            throw new CodecException("msgpack: cannot encode " + what(value) + ": " + e, e);
        } catch (CodecException e) {
            throw new CodecException("msgpack: cannot encode " + what(value) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new CodecException("msgpack: cannot encode " + what(value) + ": " + e, e);
        }
    }

    @Override
    public Object decode(byte[] data, Type type) {
        if (type == null) {
            throw new CodecException("msgpack: no target type given for decoding");
        }
        if (data == null || data.length == 0) {
            throw new CodecException("msgpack: cannot decode " + StructTypes.name(type) + ": the payload is empty");
        }
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(data)) {
            return new MsgpackReader(unpacker, data.length).read(type, GoType.AUTO, 0);
        } catch (CodecFailure f) {
            throw f.toCodecException("msgpack: cannot decode " + StructTypes.name(type));
        } catch (IOException | RuntimeException e) {
            throw new CodecException("msgpack: cannot decode " + StructTypes.name(type) + ": " + e, e);
        }
    }

    private static String what(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    @Override
    public String toString() {
        return "msgpack codec (SerializeType 3)";
    }
}
