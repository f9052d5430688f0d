package rpcx.bench.nettyecho;

import java.net.InetSocketAddress;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * The echo server of targets a and a2: one event-loop thread that accepts and serves every connection, frames cut
 * by {@link LengthFieldBasedFrameDecoder} on the rpcx {@code totalLen} field and written back untouched (the frame
 * slice is handed to the write, which releases it once sent: the same as {@code writeAndFlush(frame.retain())} in a
 * handler that releases what it read, minus one reference-count round trip).
 */
final class EchoServer implements AutoCloseable {
    /** Largest frame accepted; the benchmark frame is 621 bytes. */
    static final int MAX_FRAME = 1 << 20;

    private final EventLoopGroup group;
    private final Channel serverChannel;

    EchoServer(String id, String host, int port, boolean flushPerBurst) throws InterruptedException {
        group = Transport.oneThreadGroup(id + "-server");
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(Transport.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(newDecoder(),
                                    flushPerBurst ? new FlushPerBurst() : FlushPerFrame.INSTANCE);
                        }
                    });
            serverChannel = b.bind(new InetSocketAddress(host, port)).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            Transport.shutdown(group);
            throw e;
        }
    }

    /** The frame decoder both sides use: length at offset 12, 4 bytes, no adjustment, nothing stripped. */
    static LengthFieldBasedFrameDecoder newDecoder() {
        return new LengthFieldBasedFrameDecoder(MAX_FRAME, EchoFrame.LENGTH_OFFSET, EchoFrame.LENGTH_SIZE, 0, 0);
    }

    @Override
    public void close() throws InterruptedException {
        serverChannel.close().await();
        Transport.shutdown(group); // closes the accepted channels too
    }

    /** Target a: every frame is written and flushed on its own (one write syscall per frame). */
    @ChannelHandler.Sharable
    static final class FlushPerFrame extends ChannelInboundHandlerAdapter {
        static final FlushPerFrame INSTANCE = new FlushPerFrame();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg, ctx.voidPromise());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client that went away; nothing to report
        }
    }

    /** Target a2: every frame is written, and the channel is flushed once when the read burst ends. */
    static final class FlushPerBurst extends ChannelInboundHandlerAdapter {
        private boolean unflushed;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
            unflushed = true;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (unflushed) {
                unflushed = false;
                ctx.flush();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
