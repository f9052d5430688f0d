package rpcx.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.Message;

/**
 * Writes frames: a {@link FrameCodec.Encoded} (or a {@link Message}, prepared here) goes straight into a pooled
 * I/O buffer of exactly its size, through the buffer's internal NIO view. No intermediate array.
 */
@ChannelHandler.Sharable
final class FrameEncoder extends ChannelOutboundHandlerAdapter {
    static final FrameEncoder INSTANCE = new FrameEncoder();

    private FrameEncoder() {
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        FrameCodec.Encoded frame;
        if (msg instanceof FrameCodec.Encoded e) {
            frame = e;
        } else if (msg instanceof Message m) {
            try {
                frame = FrameCodec.prepare(m);
            } catch (RuntimeException e) {
                promise.tryFailure(e);
                return;
            }
        } else {
            ctx.write(msg, promise);
            return;
        }
        int size = frame.size();
        ByteBuf buf = ctx.alloc().ioBuffer(size, size);
        try {
            frame.writeTo(buf.nioBufferCount() == 1 ? buf.internalNioBuffer(0, size) : buf.nioBuffer(0, size));
            buf.writerIndex(size);
        } catch (RuntimeException e) {
            buf.release();
            promise.tryFailure(e);
            return;
        }
        ctx.write(buf, promise);
    }
}
