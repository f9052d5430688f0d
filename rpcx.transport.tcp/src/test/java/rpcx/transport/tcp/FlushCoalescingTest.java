package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.testkit.RecordingHandler;

/** A burst of sends is written by one event-loop task with one flush (per 128 frames), not one per frame. */
class FlushCoalescingTest {
    /** Counts flushes reaching the head of the pipeline. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int flushes;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }

    private static int burst(int frames) {
        FlushCounter counter = new FlushCounter();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(counter, FrameEncoder.INSTANCE);
        NettyConnection c = new NettyConnection(ch, new RecordingHandler(), Endpoint.parse("tcp", "127.0.0.1:1"), "embedded",
                FrameLimits.DEFAULT_MAX_MESSAGE_LENGTH, NettyConnection.Mode.RPCX);
        List<CompletableFuture<Void>> written = new ArrayList<>();
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            Message m = Message.request(i, "A", "B", SerializeType.NONE, Map.of("i", "" + i), new byte[] {(byte) i});
            sent.add(m);
            written.add(c.send(m));
        }
        assertFalse(written.get(0).isDone(), "nothing is written before the event loop runs the drain");
        ch.runPendingTasks();
        for (int i = 0; i < frames; i++) {
            assertTrue(written.get(i).isDone());
            ByteBuf frame = ch.readOutbound();
            try {
                assertEquals(frame.readableBytes(), frame.capacity(), "a buffer of exactly the frame's size");
                ByteBuffer bytes = ByteBuffer.allocate(frame.readableBytes());
                frame.getBytes(frame.readerIndex(), bytes);
                assertEquals(sent.get(i), FrameCodec.decode(bytes.flip(), FrameLimits.DEFAULT));
            } finally {
                frame.release();
            }
        }
        assertNull(ch.readOutbound());
        ch.finishAndReleaseAll();
        return counter.flushes;
    }

    @Test
    void aBurstIsFlushedOnce() {
        assertEquals(1, burst(100));
    }

    @Test
    void longBurstsAreFlushedEvery128Frames() {
        assertEquals(3, burst(300));
    }

    @Test
    void aSingleSendIsFlushedAtOnce() {
        assertEquals(1, burst(1));
    }
}
