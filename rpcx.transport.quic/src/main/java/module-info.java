/**
 * Network {@code quic}: rpcx over QUIC as Go rpcx's {@code quic} build tag carries it (smallnest/quick on quic-go):
 * one QUIC connection per rpcx connection, the frames on the one bidirectional stream the client opens, TLS 1.3
 * with ALPN {@code rpcx}. On Netty's native QUIC codec; its native library is the module
 * {@code io.netty.codec.quic.linux.x86_64}, which nothing requires: start the JVM with
 * {@code --add-modules io.netty.codec.quic.linux.x86_64} on the module path.
 */
module rpcx.transport.quic {
    requires rpcx.api;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;
    requires io.netty.codec.classes.quic;

    provides rpcx.api.spi.TransportProvider with rpcx.transport.quic.QuicTransportProvider;
}
