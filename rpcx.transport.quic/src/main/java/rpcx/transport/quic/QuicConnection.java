package rpcx.transport.quic;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import rpcx.api.RpcException;
import rpcx.api.TransportException;
import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;
import rpcx.api.spi.Connection;
import rpcx.api.spi.ConnectionHandler;
import rpcx.api.spi.TransportConfig;

/**
 * One rpcx connection: a bidirectional QUIC stream carrying frames as a byte stream. Closing it closes the stream
 * and its QUIC connection (and, on a client, the UDP socket). The handler hears onOpen, onMessage, one onError for
 * the first failure, and one onClose.
 */
final class QuicConnection implements Connection {
    private final QuicStreamChannel stream;
    private final ConnectionHandler handler;
    private final Runnable onClosed;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile SocketAddress remote;
    private volatile SocketAddress local;
    /** When bytes last arrived (System.nanoTime), for the read idle timeout. */
    private volatile long lastRead = System.nanoTime();
    /** When the frame now partly received began, or 0; on the stream's event loop. */
    private long frameStart;
    private io.netty.util.concurrent.ScheduledFuture<?> timeouts;

    QuicConnection(QuicStreamChannel stream, ConnectionHandler handler, Runnable onClosed) {
        this.stream = stream;
        this.handler = handler;
        this.onClosed = onClosed;
    }

    /**
     * Adds the frame decoder and the bridge to the handler to the stream's pipeline (once), and the checks of the
     * read idle timeout and the frame timeout (neither fires while reading is paused).
     */
    void install(TransportConfig config) {
        stream.pipeline().addLast("decoder", new Decoder(config.limits()));
        stream.pipeline().addLast("bridge", new Bridge());
        long idle = config.readIdleTimeout().toNanos();
        long frame = config.frameTimeout().toNanos();
        long shortest = idle == 0 ? frame : frame == 0 ? idle : Math.min(idle, frame);
        if (shortest > 0) {
            long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), shortest / 4);
            timeouts = stream.eventLoop().scheduleAtFixedRate(() -> checkTimeouts(idle, frame), period, period,
                    TimeUnit.NANOSECONDS);
        }
    }

    private void checkTimeouts(long idleNanos, long frameNanos) {
        if (!stream.isActive() || !stream.config().isAutoRead()) {
            return;
        }
        long now = System.nanoTime();
        if (idleNanos > 0 && now - lastRead >= idleNanos) {
            stream.pipeline().fireExceptionCaught(new TransportException(this + ": nothing received for "
                    + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms (read idle timeout)"));
        } else if (frameNanos > 0 && frameStart != 0 && now - frameStart >= frameNanos) {
            stream.pipeline().fireExceptionCaught(new TransportException("the peer began a frame and did not finish it "
                    + "within " + TimeUnit.NANOSECONDS.toMillis(frameNanos) + " ms: slow or stalled peer"));
        }
    }

    @Override
    public CompletableFuture<Void> send(Message message) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ByteBuf frame;
        try {
            frame = Unpooled.wrappedBuffer(FrameCodec.encode(message));
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return done;
        }
        stream.writeAndFlush(frame).addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(new TransportException("sending on " + this + " failed: " + f.cause(), f.cause()));
            }
        });
        return done;
    }

    /** Test hook: writes bytes on the stream as they are, as a peer speaking anything but rpcx would. */
    void sendRaw(byte[] bytes) {
        stream.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    }

    /** Test hook: sends the stream's FIN, closing this side's sending half only. */
    void shutdownOutput() {
        stream.shutdownOutput();
    }

    /** The peer's UDP address (kept after the close, for logs). */
    @Override
    public SocketAddress remoteAddress() {
        SocketAddress a = stream.parent().remoteSocketAddress();
        return a != null ? a : remote;
    }

    @Override
    public SocketAddress localAddress() {
        SocketAddress a = stream.parent().localSocketAddress();
        return a != null ? a : local;
    }

    @Override
    public boolean isOpen() {
        return stream.isActive();
    }

    @Override
    public void pauseReading() {
        stream.config().setAutoRead(false);
    }

    @Override
    public void resumeReading() {
        lastRead = System.nanoTime(); // a paused connection was not idle
        stream.config().setAutoRead(true);
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    @Override
    public void close() {
        Channel quic = stream.parent();
        stream.close().addListener(f -> quic.close());
    }

    @Override
    public String toString() {
        return "quic connection " + remoteAddress();
    }

    /** Frames out of the stream's bytes, every length checked before it is trusted. */
    private final class Decoder extends ByteToMessageDecoder {
        private final FrameLimits limits;

        Decoder(FrameLimits limits) {
            this.limits = limits;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            lastRead = System.nanoTime();
            super.channelRead(ctx, msg);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            while (in.readableBytes() >= FrameCodec.PREFIX_LENGTH) {
                int total = FrameCodec.checkPrefix(in.nioBuffer(in.readerIndex(), FrameCodec.PREFIX_LENGTH), limits);
                int length = FrameCodec.PREFIX_LENGTH + total;
                if (in.readableBytes() < length) {
                    break;
                }
                out.add(FrameCodec.decode(in.nioBuffer(in.readerIndex(), length), limits));
                in.skipBytes(length);
                frameStart = 0;
            }
            if (!in.isReadable()) {
                frameStart = 0;
            } else if (frameStart == 0) {
                frameStart = System.nanoTime(); // a frame has begun: it must be complete within the frame timeout
            }
        }
    }

    /** Channel events as handler calls. */
    private final class Bridge extends ChannelInboundHandlerAdapter {
        private boolean failed;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            open(ctx);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (ctx.channel().isActive()) {
                open(ctx);
            }
        }

        private boolean opened;

        private void open(ChannelHandlerContext ctx) {
            if (!opened) {
                opened = true;
                remote = stream.parent().remoteSocketAddress();
                local = stream.parent().localSocketAddress();
                handler.onOpen(QuicConnection.this);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Message m && !failed) {
                handler.onMessage(QuicConnection.this, m);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            if (!failed) {
                failed = true;
                handler.onError(QuicConnection.this, c instanceof RpcException ? c
                        : new TransportException(QuicConnection.this + " failed: " + c, c));
            }
            close();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof io.netty.channel.socket.ChannelInputShutdownReadComplete) {
                close(); // the peer finished its side of the stream: the connection is over, as Go's stream.Close
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (timeouts != null) {
                timeouts.cancel(false);
            }
            try {
                if (opened) {
                    handler.onClose(QuicConnection.this);
                }
            } finally {
                Channel quic = stream.parent();
                quic.close();
                onClosed.run();
                closed.complete(null);
            }
        }
    }
}
