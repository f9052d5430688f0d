package rpcx.codec.msgpack;

import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Codec;
import rpcx.api.spi.CodecProvider;

/**
 * Provides the MessagePack codec: SerializeType 3, name {@code "msgpack"}. Its codec writes exactly the bytes Go's
 * {@code vmihailenco/msgpack/v5} writes with default settings (what Go rpcx uses) and reads everything a
 * MessagePack peer may send.
 */
public final class MsgpackCodecProvider implements CodecProvider {

    /** Creates the provider (ServiceLoader calls this). */
    public MsgpackCodecProvider() {
    }

    /** Returns {@code "msgpack"}. */
    @Override
    public String name() {
        return "msgpack";
    }

    /** Returns 3 ({@link SerializeType#MSGPACK}). */
    @Override
    public int serializeType() {
        return SerializeType.MSGPACK;
    }

    /** Returns the shared, thread-safe MessagePack codec. */
    @Override
    public Codec create() {
        return MsgpackCodec.INSTANCE;
    }
}
