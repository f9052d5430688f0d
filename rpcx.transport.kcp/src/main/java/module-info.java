/**
 * Network {@code kcp} (Go rpcx's {@code kcp} build tag, on kcp-go). So far this module holds the ARQ core,
 * {@code rpcx.transport.kcp.Kcp}; the transport provider, kcp-go's FEC and block-crypt layers are yet to come, so
 * it provides nothing.
 */
module rpcx.transport.kcp {
    requires rpcx.api;
}
