package rpcx.transport.tcp;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import jdk.net.ExtendedSocketOptions;

/**
 * JDK NIO through Netty: works everywhere. Unix domain sockets use the JDK's own support (Java 16+,
 * {@link UnixDomainSocketAddress}). The JDK cannot set {@code IPV6_V6ONLY}, so a wildcard tcp6 listener closes
 * accepted IPv4 connections instead of never accepting them.
 */
final class NioKind extends IoKind {
    static final NioKind INSTANCE = new NioKind();

    private NioKind() {
    }

    /** Whether the JDK can set the TCP keep-alive idle time and interval here (probed once, lazily). */
    private static final class KeepAliveSupport {
        static final boolean SUPPORTED = probe();

        private static boolean probe() {
            try (SocketChannel ch = SocketChannel.open()) {
                return ch.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)
                        && ch.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPINTERVAL);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }

    @Override
    String name() {
        return "nio";
    }

    @Override
    IoHandlerFactory ioHandlerFactory() {
        return NioIoHandler.newFactory();
    }

    @Override
    ServerChannel newServerChannel(Endpoint endpoint) {
        if (endpoint.isUnix()) {
            return new NioServerDomainSocketChannel();
        }
        SocketProtocolFamily family = serverFamily(endpoint);
        return family == null ? new NioServerSocketChannel() : new NioServerSocketChannel(SelectorProvider.provider(), family);
    }

    @Override
    Channel newClientChannel(Endpoint endpoint, SocketAddress remote) {
        if (endpoint.isUnix()) {
            return new NioDomainSocketChannel();
        }
        return new NioSocketChannel(SelectorProvider.provider(), clientFamily(remote));
    }

    @Override
    SocketAddress unixAddress(String path) {
        return UnixDomainSocketAddress.of(path);
    }

    @Override
    boolean nativeV6Only() {
        return false;
    }

    @Override
    void serverOptions(ServerBootstrap bootstrap, Endpoint endpoint) {
        if (endpoint.reusePort()) {
            bootstrap.option(io.netty.channel.socket.nio.NioChannelOption.of(java.net.StandardSocketOptions.SO_REUSEPORT), true);
        }
        if (!endpoint.isUnix() && KeepAliveSupport.SUPPORTED) {
            bootstrap.childOption(option(ExtendedSocketOptions.TCP_KEEPIDLE), seconds(SERVER_KEEPALIVE));
            bootstrap.childOption(option(ExtendedSocketOptions.TCP_KEEPINTERVAL), seconds(SERVER_KEEPALIVE));
        }
    }

    @Override
    void clientOptions(Bootstrap bootstrap, Endpoint endpoint, Duration keepAlive) {
        if (!endpoint.isUnix() && !keepAlive.isZero() && KeepAliveSupport.SUPPORTED) {
            bootstrap.option(option(ExtendedSocketOptions.TCP_KEEPIDLE), seconds(keepAlive));
            bootstrap.option(option(ExtendedSocketOptions.TCP_KEEPINTERVAL), seconds(keepAlive));
        }
    }

    private static io.netty.channel.ChannelOption<Integer> option(SocketOption<Integer> option) {
        return NioChannelOption.of(option);
    }

    private static Integer seconds(Duration d) {
        return (int) d.toSeconds();
    }
}
