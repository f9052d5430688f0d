package rpcx.bench.nettyecho;

import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import rpcx.bench.harness.Completion;
import rpcx.bench.harness.Load;

/**
 * The client of targets a and a2: {@code n} connections on one shared one-thread event-loop group. A call writes a
 * retained duplicate of the pre-encoded request (no copy, no encoding) and queues its completion in the
 * connection's FIFO; the server echoes frames in order, so each frame read completes the oldest call, {@code ok} when
 * it is byte-equal to the request.
 * <p>
 * Flushing: with {@code flushPerBurst} false every call is {@code writeAndFlush}ed. With it true, a call issued
 * while its connection is delivering replies (a completion callback issuing the next call) is only written and the
 * connection is flushed once in {@code channelReadComplete}; any other call (from another thread, or from the event
 * loop outside that connection's read) is written and one flush task per batch is queued on the event loop.
 * All connection state is touched only on the event loop, so the hot path takes no lock.
 */
final class EchoClient implements Load {
    private static final ClosedChannelException CLOSED = new ClosedChannelException();

    private final EventLoopGroup group;
    private final Conn[] conns;
    private final ByteBuf request;
    private final boolean flushPerBurst;
    private boolean closed;

    EchoClient(String id, String host, int port, int connections, boolean flushPerBurst) throws Exception {
        this.flushPerBurst = flushPerBurst;
        byte[] frame = EchoFrame.request();
        // a direct copy so that epoll writes it straight from its memory address; only read (through duplicates)
        request = Unpooled.directBuffer(frame.length).writeBytes(frame);
        group = Transport.oneThreadGroup(id + "-client");
        conns = new Conn[connections];
        try {
            Bootstrap b = new Bootstrap()
                    .group(group)
                    .channel(Transport.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true);
            ChannelFuture[] futures = new ChannelFuture[connections];
            InetSocketAddress address = new InetSocketAddress(host, port);
            for (int i = 0; i < connections; i++) {
                Conn conn = new Conn();
                conns[i] = conn;
                futures[i] = b.clone().handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(EchoServer.newDecoder(), conn);
                    }
                }).connect(address);
                conn.channel = futures[i].channel();
                conn.loop = conn.channel.eventLoop();
            }
            for (ChannelFuture f : futures) {
                f.sync();
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    @Override
    public void call(int connection, Completion completion) {
        Conn conn = conns[connection];
        if (conn.loop.inEventLoop()) {
            conn.send(completion);
        } else {
            try {
                conn.loop.execute(() -> conn.send(completion));
            } catch (RejectedExecutionException e) {
                completion.done(false, e);
            }
        }
    }

    @Override
    public String details() {
        ByteBufAllocator alloc = conns.length > 0 ? conns[0].channel.alloc() : ByteBufAllocator.DEFAULT;
        return "request frame " + EchoFrame.FRAME_SIZE + " B (protobuf payload 581 B, pre-encoded once, written as "
                + "retainedDuplicate), reply checked byte for byte; transport " + Transport.name() + "; "
                + conns.length + " connections on 1 client event-loop thread; allocator "
                + alloc.getClass().getSimpleName() + "; flush " + (flushPerBurst
                ? "once per read burst / batch of calls" : "per call");
    }

    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        for (Conn c : conns) {
            if (c != null && c.channel != null) {
                c.channel.close();
            }
        }
        Transport.shutdown(group);
        request.release();
    }

    /** One connection: its channel's handler and FIFO of calls in flight; used on the event loop only. */
    private final class Conn extends ChannelInboundHandlerAdapter {
        private final ArrayDeque<Completion> pending = new ArrayDeque<>(64);
        private final Runnable flushTask = this::flushNow;
        Channel channel;
        EventLoop loop;
        private boolean reading;
        private boolean unflushed;
        private boolean flushQueued;
        private Throwable failure;

        void send(Completion completion) {
            if (!channel.isActive()) {
                failLater(completion, failure != null ? failure : CLOSED);
                return;
            }
            pending.addLast(completion);
            ByteBuf frame = request.retainedDuplicate();
            if (!flushPerBurst) {
                channel.writeAndFlush(frame, channel.voidPromise());
                return;
            }
            channel.write(frame, channel.voidPromise());
            unflushed = true;
            if (!reading && !flushQueued) {
                flushQueued = true;
                loop.execute(flushTask);
            }
        }

        private void flushNow() {
            flushQueued = false;
            if (unflushed) {
                unflushed = false;
                channel.flush();
            }
        }

        /** Fails a call on a dead connection from a later task, so a caller that re-issues on failure cannot recurse. */
        private void failLater(Completion completion, Throwable error) {
            try {
                loop.execute(() -> completion.done(false, error));
            } catch (RejectedExecutionException e) {
                completion.done(false, error);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            reading = true;
            ByteBuf frame = (ByteBuf) msg;
            boolean ok = frame.readableBytes() == EchoFrame.FRAME_SIZE
                    && ByteBufUtil.equals(frame, frame.readerIndex(), request, request.readerIndex(),
                    EchoFrame.FRAME_SIZE);
            frame.release();
            Completion completion = pending.pollFirst();
            if (completion == null) {
                exceptionCaught(ctx, new IllegalStateException("a frame arrived with no call in flight"));
                return;
            }
            completion.done(ok, null);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            reading = false;
            if (unflushed) {
                unflushed = false;
                ctx.flush();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (failure == null) {
                failure = cause;
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Throwable error = failure != null ? failure : CLOSED;
            Completion c;
            while ((c = pending.pollFirst()) != null) {
                c.done(false, error);
            }
            ctx.fireChannelInactive();
        }
    }
}
