/**
 * The {@code tcp}, {@code tcp4}, {@code tcp6} and {@code unix} transports of rpcx, on Netty 4.2.
 *
 * <p>Two providers serve these networks: {@link rpcx.transport.tcp.EpollTcpTransportProvider} (native epoll,
 * priority 20) and {@link rpcx.transport.tcp.NioTcpTransportProvider} (JDK NIO, priority 10). rpcx picks the
 * available one with the highest priority, so epoll wins wherever its native library loads. On the module path
 * the native library is a module nothing requires: start the JVM with
 * {@code --add-modules io.netty.transport.epoll.linux.x86_64} to make epoll available (without it, NIO is used).
 * {@code -Drpcx.transport.tcp.epoll=false} forces NIO.
 *
 * <p>On {@code tcp}, {@code tcp4} and {@code tcp6} a server also speaks TLS (JDK provider), the HTTP gateway and
 * JSON-RPC 2.0 on its rpcx port, as Go rpcx does ({@code io.netty.codec.http} for HTTP/1, jackson-core for the
 * JSON-RPC envelope).
 *
 * <p>Exports nothing: users reach the transport through {@code rpcx.api} and {@code ServiceLoader}.
 */
module rpcx.transport.tcp {
    requires rpcx.api;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;
    requires io.netty.codec.http;
    requires com.fasterxml.jackson.core;
    requires io.netty.transport.unix.common;
    requires io.netty.transport.classes.epoll;
    requires jdk.net;

    provides rpcx.api.spi.TransportProvider with rpcx.transport.tcp.EpollTcpTransportProvider,
            rpcx.transport.tcp.NioTcpTransportProvider;
}
