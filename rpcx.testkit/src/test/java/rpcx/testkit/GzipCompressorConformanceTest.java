package rpcx.testkit;

import java.util.ServiceLoader;

import rpcx.api.protocol.CompressType;
import rpcx.api.spi.CompressorProvider;

/** Runs the compressor conformance suite against rpcx.api's gzip (CompressType 1). */
class GzipCompressorConformanceTest extends CompressorConformance {
    @Override
    protected CompressorProvider provider() {
        return ServiceLoader.load(CompressorProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.compressType() == CompressType.GZIP).findFirst().orElseThrow();
    }
}
