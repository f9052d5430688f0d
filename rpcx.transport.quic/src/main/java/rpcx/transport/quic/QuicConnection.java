package rpcx.transport.quic;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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

    QuicConnection(QuicStreamChannel stream, ConnectionHandler handler, Runnable onClosed) {
        this.stream = stream;
        this.handler = handler;
        this.onClosed = onClosed;
    }

    /** Adds the frame decoder and the bridge to the handler to the stream's pipeline (once). */
    void install(FrameLimits limits) {
        stream.pipeline().addLast("decoder", new Decoder(limits));
        stream.pipeline().addLast("bridge", new Bridge());
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
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            while (in.readableBytes() >= FrameCodec.PREFIX_LENGTH) {
                int total = FrameCodec.checkPrefix(in.nioBuffer(in.readerIndex(), FrameCodec.PREFIX_LENGTH), limits);
                int length = FrameCodec.PREFIX_LENGTH + total;
                if (in.readableBytes() < length) {
                    return;
                }
                out.add(FrameCodec.decode(in.nioBuffer(in.readerIndex(), length), limits));
                in.skipBytes(length);
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
