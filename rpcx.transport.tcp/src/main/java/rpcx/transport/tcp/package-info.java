/**
 * The tcp, tcp4, tcp6 and unix transports of rpcx on Netty 4.2 (not exported; reached through
 * {@link rpcx.api.spi.TransportProvider}).
 *
 * <h2>Providers</h2>
 * Two providers of name {@code tcp} serve the same networks, following rpcx's one SPI pattern:
 * {@link rpcx.transport.tcp.EpollTcpTransportProvider} (priority 20, available when Netty's native epoll loads)
 * and {@link rpcx.transport.tcp.NioTcpTransportProvider} (priority 10, always available). rpcx.api picks the
 * available one with the highest priority. {@code -Drpcx.transport.tcp.epoll=false} makes epoll unavailable.
 *
 * <h2>Addresses</h2>
 * As Go writes them: {@code host:port}, {@code [::1]:8972}, {@code :8972} (all interfaces when listening,
 * loopback when dialing). {@code tcp4} and {@code tcp6} restrict the family: a tcp4 listener binds an IPv4
 * socket; a tcp6 listener binds an IPv6-only socket with epoll ({@code IPV6_V6ONLY}) and, with NIO, which cannot
 * set that option, closes accepted IPv4 connections at once. {@code unix} takes a socket path (epoll's domain
 * sockets, or the JDK's with NIO); the listener removes the file when it stops.
 *
 * <h2>Frames</h2>
 * Decoding and encoding reuse {@link rpcx.api.protocol.FrameCodec}: the prefix is checked as soon as 16 bytes are
 * in (an oversized {@code totalLen} is refused before anything is buffered), frames are decoded in place, and
 * written straight into a pooled buffer of exactly their size. Sends from any thread are queued and written by
 * one event-loop task with a single flush per burst. Any malformed frame, timeout or I/O error is reported to the
 * handler's {@code onError} and closes that connection only.
 *
 * <h2>One port, several protocols</h2>
 * A {@code tcp}/{@code tcp4}/{@code tcp6} server whose {@link rpcx.api.spi.TransportConfig} has TLS, the HTTP
 * gateway or JSON-RPC on looks at the first bytes of each connection ({@link rpcx.transport.tcp.ProtocolSniffer},
 * Go's cmux): rpcx frames, a TLS handshake (then the same choice inside TLS; plaintext is refused when TLS is on),
 * or HTTP/1 ({@link rpcx.transport.tcp.HttpExchangeHandler}: the gateway's {@code X-RPCX-*} mapping of
 * {@link rpcx.api.protocol.HttpGateway}, and JSON-RPC 2.0 with {@code X-JSONRPC-2.0: true}). Each HTTP request
 * reaches the server's handler as an rpcx request on the HTTP connection's pseudo connection; the response it sends
 * there becomes the HTTP response. Clients dial with TLS when {@code clientTls} is set. See
 * {@code docs/http-gateway-and-tls.md}.
 */
package rpcx.transport.tcp;
