/**
 * Network {@code kcp} (Go rpcx's {@code kcp} build tag, on kcp-go v5): KCP's ARQ over UDP, written for this
 * project, with kcp-go's Reed-Solomon FEC (10 data / 3 parity shards, as Go rpcx dials and listens) and its packet
 * encryption ({@link rpcx.transport.kcp.KcpCrypt}). Configure both sides with
 * {@link rpcx.transport.kcp.KcpOptions} through {@code ServerOptions}/{@code ClientOptions.withTransportOption}.
 */
module rpcx.transport.kcp {
    requires rpcx.api;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;

    exports rpcx.transport.kcp;

    provides rpcx.api.spi.TransportProvider with rpcx.transport.kcp.KcpTransportProvider;
}
