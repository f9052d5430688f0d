/**
 * The rpcx core: the user API ({@code rpcx.api}), the SPIs plugin modules implement ({@code rpcx.api.spi}) and
 * the wire protocol every transport reuses ({@code rpcx.api.protocol}). Depends on java.base only.
 */
module rpcx.api {
    exports rpcx.api;
    exports rpcx.api.spi;
    exports rpcx.api.protocol;

    uses rpcx.api.spi.CodecProvider;
    uses rpcx.api.spi.CompressorProvider;
    uses rpcx.api.spi.TransportProvider;
    uses rpcx.api.spi.DiscoveryProvider;
    uses rpcx.api.spi.SelectorProvider;
    uses rpcx.api.spi.CircuitBreakerProvider;

    provides rpcx.api.spi.CodecProvider with rpcx.api.internal.RawCodecProvider;
    provides rpcx.api.spi.CompressorProvider with rpcx.api.internal.GzipCompressorProvider;
    provides rpcx.api.spi.TransportProvider with rpcx.api.internal.MemoryTransportProvider;
    provides rpcx.api.spi.SelectorProvider with rpcx.api.internal.RandomSelectorProvider,
            rpcx.api.internal.RoundRobinSelectorProvider, rpcx.api.internal.WeightedRoundRobinSelectorProvider,
            rpcx.api.internal.WeightedIcmpSelectorProvider, rpcx.api.internal.ConsistentHashSelectorProvider,
            rpcx.api.internal.ClosestSelectorProvider;
    provides rpcx.api.spi.CircuitBreakerProvider with rpcx.api.internal.ConsecutiveBreakerProvider,
            rpcx.api.internal.ThresholdBreakerProvider, rpcx.api.internal.RateBreakerProvider;
}
