package rpcx.bench.nettyecho;

import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The Netty transport both sides use: native epoll when it loads on this machine, otherwise NIO. */
final class Transport {
    /** True when the native epoll transport is available. */
    static final boolean EPOLL = Epoll.isAvailable();

    private Transport() {
    }

    /** {@code epoll}, or {@code NIO (epoll unavailable: why)}. */
    static String name() {
        return EPOLL ? "epoll" : "NIO (epoll unavailable: " + Epoll.unavailabilityCause() + ")";
    }

    /** A group with one event-loop thread, named after {@code name}. */
    static EventLoopGroup oneThreadGroup(String name) {
        IoHandlerFactory io = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name), io);
    }

    static Class<? extends ServerChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    static Class<? extends SocketChannel> socketChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Shuts a group down at once (no quiet period) and waits for it, at most 5 s. */
    static void shutdown(EventLoopGroup group) throws InterruptedException {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
