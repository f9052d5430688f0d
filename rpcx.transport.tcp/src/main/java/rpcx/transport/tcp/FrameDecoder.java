package rpcx.transport.tcp;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import rpcx.api.TransportException;
import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.ProtocolException;

/**
 * Cuts the byte stream into rpcx frames with the bounded {@link FrameCodec}.
 *
 * <ul>
 *   <li>The first byte of a frame is checked against the magic number as soon as it arrives.</li>
 *   <li>As soon as 16 bytes are in, {@link FrameCodec#checkPrefix} validates the prefix, so an oversized
 *       {@code totalLen} is rejected before any of the body is awaited or buffered.</li>
 *   <li>A complete frame is decoded in place, through the cumulation buffer's internal NIO view (no copy
 *       besides the payload array the {@link Message} owns, no view object per frame).</li>
 *   <li>Slow-loris guard: a frame that has begun and is not complete within the frame timeout fails the
 *       connection. The clock starts with the frame's first byte, not at the last byte received.</li>
 * </ul>
 *
 * Any error is passed down the pipeline (to {@link ConnectionBridge}), after which every further byte is
 * discarded.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private final NettyConnection connection;
    private final FrameLimits limits;
    private final long frameTimeoutNanos;
    /** Length of the frame being read (prefix included) once its prefix is in; -1 before. */
    private int frameLength = -1;
    /** {@link System#nanoTime()} when the unfinished frame began; 0 when no frame is unfinished. */
    private long frameStart;
    private ScheduledFuture<?> timer;
    private boolean failed;

    FrameDecoder(NettyConnection connection, FrameLimits limits, Duration frameTimeout) {
        this.connection = connection;
        this.limits = limits;
        this.frameTimeoutNanos = frameTimeout.toNanos();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        boolean completed = false;
        try {
            while (in.isReadable()) {
                if (frameLength < 0) {
                    byte magic = in.getByte(in.readerIndex());
                    if (magic != Message.MAGIC) {
                        // refuse garbage at its first byte instead of waiting for a whole prefix of it
                        throw new ProtocolException(String.format("wrong magic number 0x%02x (an rpcx frame starts with 0x%02x)",
                                magic & 0xFF, Message.MAGIC));
                    }
                    if (in.readableBytes() < FrameCodec.PREFIX_LENGTH) {
                        break;
                    }
                    frameLength = FrameCodec.PREFIX_LENGTH
                            + FrameCodec.checkTotalLength(in.getUnsignedInt(in.readerIndex() + 12), limits);
                }
                if (in.readableBytes() < frameLength) {
                    break;
                }
                // the cumulation is one buffer: decode through its internal NIO view, not a new one per frame
                ByteBuffer view = in.nioBufferCount() == 1 ? in.internalNioBuffer(in.readerIndex(), frameLength)
                        : in.nioBuffer(in.readerIndex(), frameLength);
                Message m = FrameCodec.decode(view, limits);
                in.skipBytes(frameLength);
                frameLength = -1;
                completed = true;
                out.add(m);
            }
        } catch (RuntimeException e) {
            failed = true;
            frameStart = 0;
            in.skipBytes(in.readableBytes());
            throw e;
        }
        trackUnfinishedFrame(ctx, in.isReadable(), completed);
    }

    /**
     * After the last bytes: a frame left unfinished because the peer closed is reported (unless this side closed
     * the connection or an error was reported already). Errors are fired here, not thrown, so that the handler
     * hears of them before the close.
     */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            if (in.isReadable()) {
                decode(ctx, in, out);
            }
        } catch (RuntimeException e) {
            ctx.fireExceptionCaught(e);
            return;
        }
        if (in.isReadable() && !failed && !connection.closedLocally()) {
            failed = true;
            String expected = frameLength > 0 ? String.valueOf(frameLength) : "at least " + FrameCodec.PREFIX_LENGTH;
            ctx.fireExceptionCaught(new ProtocolException("connection closed by the peer in the middle of a frame ("
                    + in.readableBytes() + " of " + expected + " bytes received)"));
        }
        in.skipBytes(in.readableBytes());
    }

    private void trackUnfinishedFrame(ChannelHandlerContext ctx, boolean unfinished, boolean completedOne) {
        if (frameTimeoutNanos == 0) {
            return;
        }
        if (!unfinished) {
            frameStart = 0;
            return;
        }
        if (frameStart == 0 || completedOne) {
            frameStart = System.nanoTime();
        }
        if (timer == null) {
            timer = ctx.executor().schedule(() -> checkFrameTimeout(ctx), frameTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void checkFrameTimeout(ChannelHandlerContext ctx) {
        timer = null;
        if (failed || frameStart == 0 || !ctx.channel().isActive() || !connection.reading()) {
            return;
        }
        long waited = System.nanoTime() - frameStart;
        if (waited < frameTimeoutNanos) {
            timer = ctx.executor().schedule(() -> checkFrameTimeout(ctx), frameTimeoutNanos - waited, TimeUnit.NANOSECONDS);
            return;
        }
        failed = true;
        ByteBuf buffered = internalBuffer();
        String got = buffered.readableBytes() + " of " + (frameLength > 0 ? String.valueOf(frameLength) : "at least " + FrameCodec.PREFIX_LENGTH);
        ctx.fireExceptionCaught(new TransportException("the peer began a frame and did not finish it within "
                + Duration.ofNanos(frameTimeoutNanos).toMillis() + " ms (" + got + " bytes received): slow or stalled peer"));
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        super.channelInactive(ctx);
    }
}
