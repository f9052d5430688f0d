package rpcx.codec.protobuf;

import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Codec;
import rpcx.api.spi.CodecProvider;

/** Provides the protobuf codec under SerializeType 2 ({@code protocol.ProtoBuffer} in Go). */
public final class ProtobufCodecProvider implements CodecProvider {
    @Override
    public String name() {
        return "protobuf";
    }

    @Override
    public int serializeType() {
        return SerializeType.PROTOBUF;
    }

    @Override
    public Codec create() {
        return new ProtobufCodec();
    }
}
