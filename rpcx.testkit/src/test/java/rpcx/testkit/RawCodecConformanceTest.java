package rpcx.testkit;

import java.util.List;
import java.util.ServiceLoader;

import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.CodecProvider;

/** Runs the codec conformance suite against rpcx.api's raw codec (SerializeType 0). */
class RawCodecConformanceTest extends CodecConformance {
    @Override
    protected CodecProvider provider() {
        return ServiceLoader.load(CodecProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.serializeType() == SerializeType.NONE).findFirst().orElseThrow();
    }

    @Override
    protected List<Sample> samples() {
        return List.of(Sample.of(new byte[] {1, 2, 3, (byte) 0xff}), Sample.of("text", byte[].class, "Joke".getBytes()));
    }

    @Override
    protected Sample empty() {
        return Sample.of(new byte[0]);
    }

    @Override
    protected Sample sized(int bytes) {
        byte[] b = new byte[bytes];
        new java.util.Random(bytes).nextBytes(b);
        return Sample.of(b);
    }

    @Override
    protected List<byte[]> malformed() {
        return List.of(); // any bytes are a valid raw payload
    }
}
