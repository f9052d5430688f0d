package rpcx.transport.tcp;

import java.net.SocketAddress;
import java.time.Duration;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.IntegerUnixChannelOption;

/**
 * Native epoll through Netty (Linux). Only touched once {@link EpollProbe} said epoll is available. tcp6
 * listeners set {@code IPV6_V6ONLY} on the socket, as Go does.
 */
final class EpollKind extends IoKind {
    static final EpollKind INSTANCE = new EpollKind();

    /** {@code setsockopt(IPPROTO_IPV6 = 41, IPV6_V6ONLY = 26)} on Linux. */
    private static final IntegerUnixChannelOption IPV6_V6ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", 41, 26);

    private EpollKind() {
    }

    @Override
    String name() {
        return "epoll";
    }

    @Override
    IoHandlerFactory ioHandlerFactory() {
        return EpollIoHandler.newFactory();
    }

    @Override
    ServerChannel newServerChannel(Endpoint endpoint) {
        if (endpoint.isUnix()) {
            return new EpollServerDomainSocketChannel();
        }
        SocketProtocolFamily family = serverFamily(endpoint);
        return family == null ? new EpollServerSocketChannel() : new EpollServerSocketChannel(family);
    }

    @Override
    Channel newClientChannel(Endpoint endpoint, SocketAddress remote) {
        if (endpoint.isUnix()) {
            return new EpollDomainSocketChannel();
        }
        return new EpollSocketChannel(clientFamily(remote));
    }

    @Override
    SocketAddress unixAddress(String path) {
        return new DomainSocketAddress(path);
    }

    @Override
    boolean nativeV6Only() {
        return true;
    }

    @Override
    void serverOptions(ServerBootstrap bootstrap, Endpoint endpoint) {
        if (endpoint.isUnix()) {
            return;
        }
        if (endpoint.family() == 6) {
            bootstrap.option(IPV6_V6ONLY, 1);
        }
        if (endpoint.reusePort()) {
            bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        bootstrap.childOption(EpollChannelOption.TCP_KEEPIDLE, seconds(SERVER_KEEPALIVE));
        bootstrap.childOption(EpollChannelOption.TCP_KEEPINTVL, seconds(SERVER_KEEPALIVE));
    }

    @Override
    void clientOptions(Bootstrap bootstrap, Endpoint endpoint, Duration keepAlive) {
        if (!endpoint.isUnix() && !keepAlive.isZero()) {
            bootstrap.option(EpollChannelOption.TCP_KEEPIDLE, seconds(keepAlive));
            bootstrap.option(EpollChannelOption.TCP_KEEPINTVL, seconds(keepAlive));
        }
    }

    private static Integer seconds(Duration d) {
        return (int) d.toSeconds();
    }
}
