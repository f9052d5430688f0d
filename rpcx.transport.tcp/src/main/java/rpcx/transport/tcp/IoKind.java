package rpcx.transport.tcp;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * One way of doing I/O with Netty: native epoll or JDK NIO. It names the channel classes per network, creates
 * event loop groups, and owns the client event loop group that all client transports of this kind share.
 */
abstract class IoKind {
    /** Go's server TCP keep-alive period ({@code NewServer}: 3 minutes). */
    static final Duration SERVER_KEEPALIVE = Duration.ofMinutes(3);

    private final SharedClientGroup clientGroup = new SharedClientGroup(this);

    /** {@code epoll} or {@code nio}, for thread names and messages. */
    abstract String name();

    /** The Netty I/O handler of this kind. */
    abstract IoHandlerFactory ioHandlerFactory();

    /** A new, unregistered server channel for an endpoint. */
    abstract ServerChannel newServerChannel(Endpoint endpoint);

    /** A new, unregistered client channel to reach {@code remote}. */
    abstract Channel newClientChannel(Endpoint endpoint, SocketAddress remote);

    /** The socket address of a unix socket path, in the type this kind's channels take. */
    abstract SocketAddress unixAddress(String path);

    /**
     * Whether tcp6 listeners get a real {@code IPV6_V6ONLY} socket; when not, accepted IPv4 connections of a
     * wildcard tcp6 listener are closed right away instead.
     */
    abstract boolean nativeV6Only();

    /** Sets kind-specific options of a server (the listening socket and its accepted children). */
    abstract void serverOptions(ServerBootstrap bootstrap, Endpoint endpoint);

    /** Sets kind-specific options of a client socket; a TCP keep-alive period of zero leaves the system's. */
    abstract void clientOptions(Bootstrap bootstrap, Endpoint endpoint, Duration keepAlive);

    /** The client event loop group shared by this kind's transports. */
    final SharedClientGroup clientGroup() {
        return clientGroup;
    }

    /** A new event loop group of daemon threads. */
    final EventLoopGroup newGroup(int threads, String poolName) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(poolName, true), ioHandlerFactory());
    }

    /** The socket family a server channel of an endpoint uses; null for the platform default (dual-stack). */
    static SocketProtocolFamily serverFamily(Endpoint endpoint) {
        return switch (endpoint.family()) {
            case 4 -> SocketProtocolFamily.INET;
            case 6 -> SocketProtocolFamily.INET6;
            default -> null;
        };
    }

    /** The socket family a client channel uses to reach an IP address. */
    static SocketProtocolFamily clientFamily(SocketAddress remote) {
        return remote instanceof InetSocketAddress isa && isa.getAddress() instanceof Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
    }
}
