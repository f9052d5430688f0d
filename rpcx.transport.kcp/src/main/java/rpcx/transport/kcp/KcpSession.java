package rpcx.transport.kcp;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import rpcx.api.RpcException;
import rpcx.api.TransportException;
import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.Message;
import rpcx.api.spi.Connection;
import rpcx.api.spi.ConnectionHandler;
import rpcx.api.spi.TransportConfig;

/**
 * One rpcx connection over KCP: a {@link Kcp} conversation with one peer address, under kcp-go's FEC and crypt
 * layers, carrying rpcx frames as a byte stream (stream mode, as the rpcx KCP example sets). All state lives on one
 * event loop: the listener's (server side) or the dialled socket's (client side).
 *
 * <p>KCP has no connection teardown. A closing side here first waits (up to {@link #LINGER_MILLIS}) until what it
 * sent is acknowledged, then sends a <em>close notice</em>, an addition of this project: an out-of-band packet in
 * the layout of newer kcp-go versions ({@code seqid 0xffffffff u32, flag 0xf3 u16, size u16, conv u32}, payload
 * {@code rpcx:close}). kcp-go v5.4 (Go rpcx's) drops it as a packet of unknown type; newer kcp-go hands it to an
 * out-of-band callback, which rpcx does not register. A Java peer closes its side at once; a Go peer never hears
 * of the close (as between two Go peers). A peer that vanishes is noticed when a segment goes unacknowledged
 * {@code 20} times, or by the idle timeout.
 */
final class KcpSession implements Connection {
    private static final byte[] CLOSE_PAYLOAD = "rpcx:close".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Bytes of a close notice after the crypt header. */
    private static final int NOTICE_LENGTH = Fec.HEADER_PLUS_SIZE + 4 + CLOSE_PAYLOAD.length;
    /** How long a close waits for the peer to acknowledge what was sent. */
    static final long LINGER_MILLIS = 1_000;
    private static final long START = System.nanoTime();
    /** The tick period of a session with nothing in flight. */
    static final long IDLE_TICK_MILLIS = 100;

    private final Channel channel;
    private final EventLoop loop;
    private final InetSocketAddress remote;
    private final SocketAddress local;
    private final KcpOptions options;
    private final TransportConfig config;
    private final ConnectionHandler handler;
    private final Runnable onClosed;
    private final Kcp kcp;
    private final Fec.Encoder encoder;
    private final Fec.Decoder decoder;
    private final int cryptHeader;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final ByteBuf inbound = Unpooled.buffer();
    private ScheduledFuture<?> ticker;
    private long tickDue;
    private boolean opened;
    private boolean closing;
    private volatile boolean done;
    private boolean failed;
    private boolean flushQueued;
    private volatile boolean paused;
    private boolean heard;
    private long lingerUntil;
    private long lastReceived = now();
    private long frameStarted;
    private volatile long fecRecovered;

    KcpSession(Channel channel, InetSocketAddress remote, int conv, KcpOptions options, TransportConfig config,
               ConnectionHandler handler, Runnable onClosed) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.remote = remote;
        this.local = channel.localAddress();
        this.options = options;
        this.config = config;
        this.handler = handler;
        this.onClosed = onClosed;
        this.cryptHeader = options.crypt() != null ? KcpCrypt.HEADER : 0;
        this.kcp = new Kcp(conv, this::output);
        kcp.mtu(options.mtu());
        kcp.reserve(options.headerSize());
        kcp.windows(options.sendWindow(), options.receiveWindow());
        kcp.nodelay(options.noDelay() ? 1 : 0, (int) options.interval().toMillis(), options.fastResend(),
                options.noCongestion());
        kcp.streamMode(true);
        if (options.dataShards() > 0) {
            ReedSolomon code = new ReedSolomon(options.dataShards(), options.parityShards());
            encoder = new Fec.Encoder(code, cryptHeader, options.mtu());
            decoder = new Fec.Decoder(code, 3 * (options.dataShards() + options.parityShards()));
        } else {
            encoder = null;
            decoder = null;
        }
    }

    /** Milliseconds on this process's monotonic clock (KCP's 32-bit timestamps wrap, which it handles). */
    static long now() {
        return (System.nanoTime() - START) / 1_000_000;
    }

    int conv() {
        return kcp.conv();
    }

    /** Starts the flush timer; on the event loop. */
    void start() {
        kcp.update((int) now());
        scheduleTick(options.interval().toMillis());
    }

    private void scheduleTick(long delayMillis) {
        tickDue = now() + delayMillis;
        ticker = loop.schedule(this::tick, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Brings the next tick forward to the flush interval when work appeared while the session idled. */
    private void hurry() {
        long interval = options.interval().toMillis();
        if (!done && ticker != null && tickDue - now() > interval && ticker.cancel(false)) {
            scheduleTick(interval);
        }
    }

    /** Reports the connection open to the handler; on the event loop. */
    void open() {
        if (!opened && !done) {
            opened = true;
            handler.onOpen(this);
        }
    }

    /** Whether a valid KCP packet has arrived from the peer. */
    boolean heard() {
        return heard;
    }

    /** Asks the peer for its window (KCP's probe), which any KCP peer answers: the dial's handshake. */
    void probe() {
        kcp.askWindow();
        kcp.update((int) now());
        kcp.flush();
        channel.flush();
    }

    /**
     * Takes a datagram whose crypt layer was removed: {@code packet[at..at+length)} is an FEC shard or, without
     * FEC, a KCP packet. On the event loop.
     */
    void input(byte[] packet, int at, int length) {
        if (done) {
            return;
        }
        int time = (int) now();
        kcp.clock(time);
        if (decoder != null) {
            if (length < Fec.HEADER_PLUS_SIZE) {
                return;
            }
            int flag = Fec.flag(packet, at);
            if (flag == Fec.TYPE_OOB) {
                if (isCloseNotice(packet, at, length)) {
                    closedByPeer();
                }
                return; // other out-of-band packets: not used by rpcx
            }
            if (flag != Fec.TYPE_DATA && flag != Fec.TYPE_PARITY) {
                return;
            }
            List<byte[]> rebuilt = decoder.decode(packet, at, length, time);
            if (flag == Fec.TYPE_DATA) {
                accepted(kcp.input(packet, at + Fec.HEADER_PLUS_SIZE, length - Fec.HEADER_PLUS_SIZE, true));
            }
            for (byte[] r : rebuilt) {
                int size = (r[0] & 0xff) | (r[1] & 0xff) << 8;
                if (size >= 2 && size <= r.length && kcp.input(r, 2, size - 2, false) == 0) {
                    fecRecovered++;
                }
            }
        } else {
            if (length >= 6 && Fec.flag(packet, at) == Fec.TYPE_OOB) { // a KCP segment has cmd 81..84 there
                if (isCloseNotice(packet, at, length)) {
                    closedByPeer();
                }
                return;
            }
            accepted(kcp.input(packet, at, length, true));
        }
        if (done) {
            return;
        }
        if (options.ackNoDelay() || kcp.waiting() > 0) {
            kcp.flush(); // acks at once, and new segments the acks made room for
            channel.flush();
        }
        if (kcp.busy()) {
            hurry();
        }
        drain();
    }

    private void accepted(int result) {
        if (result == 0) {
            heard = true;
            lastReceived = now();
        }
    }

    /** Moves whole KCP messages into the byte stream and hands out every complete frame. */
    private void drain() {
        if (paused || done || closing) {
            return; // a closing connection delivers nothing more, as a closed socket
        }
        byte[] chunk;
        while ((chunk = kcp.recv()) != null) {
            inbound.writeBytes(chunk);
        }
        try {
            while (!done && !paused && inbound.readableBytes() >= FrameCodec.PREFIX_LENGTH) {
                int total = FrameCodec.checkPrefix(inbound.nioBuffer(inbound.readerIndex(), FrameCodec.PREFIX_LENGTH),
                        config.limits());
                int length = FrameCodec.PREFIX_LENGTH + total;
                if (inbound.readableBytes() < length) {
                    break;
                }
                ByteBuffer frame = inbound.nioBuffer(inbound.readerIndex(), length);
                Message m = FrameCodec.decode(frame, config.limits());
                inbound.skipBytes(length);
                frameStarted = 0;
                handler.onMessage(this, m);
            }
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        inbound.discardSomeReadBytes();
        if (!inbound.isReadable()) {
            frameStarted = 0;
        } else if (frameStarted == 0) {
            frameStarted = now(); // a frame has begun: it must be complete within the frame timeout
        }
    }

    /**
     * Flushes KCP and checks the timeouts: every flush interval while KCP has work (segments in flight or queued,
     * acks or probes due), every {@link #IDLE_TICK_MILLIS} otherwise, so idle sessions cost little.
     */
    private void tick() {
        if (done) {
            return;
        }
        check();
        if (!done) {
            scheduleTick(closing || kcp.busy() ? options.interval().toMillis() : IDLE_TICK_MILLIS);
        }
    }

    private void check() {
        long time = now();
        kcp.update((int) time);
        channel.flush();
        if (kcp.isDead()) {
            fail(new TransportException(this + ": the peer acknowledged nothing after 20 retransmissions; it is gone"));
            return;
        }
        if (closing) {
            if (kcp.waiting() == 0 || time >= lingerUntil) {
                finish(true);
            }
            return;
        }
        Duration idle = config.readIdleTimeout();
        if (!idle.isZero() && !paused && time - lastReceived >= idle.toMillis()) {
            fail(new TransportException(this + ": nothing received for " + idle.toMillis() + " ms (idle timeout)"));
            return;
        }
        Duration frame = config.frameTimeout();
        if (!frame.isZero() && !paused && frameStarted != 0 && time - frameStarted >= frame.toMillis()) {
            fail(new TransportException("the peer began a frame and did not finish it within " + frame.toMillis()
                    + " ms (" + inbound.readableBytes() + " bytes received): slow or stalled peer"));
        }
    }

    /** Writes one KCP packet (its first bytes reserved for the headers) through FEC and crypt. */
    private void output(byte[] buffer, int length) {
        byte[] packet = java.util.Arrays.copyOf(buffer, length);
        List<byte[]> parity = encoder != null ? encoder.encode(packet, length) : List.of();
        write(packet);
        for (byte[] p : parity) {
            write(p);
        }
    }

    private void write(byte[] packet) {
        if (options.crypt() != null) {
            options.crypt().seal(packet, packet.length);
        }
        channel.write(new DatagramPacket(Unpooled.wrappedBuffer(packet), remote), channel.voidPromise());
    }

    /** The close notice for conversation {@code conv} (see the class comment), sealed. */
    static byte[] closeNotice(KcpOptions options, int conv) {
        int at = options.crypt() != null ? KcpCrypt.HEADER : 0;
        byte[] packet = new byte[at + NOTICE_LENGTH];
        Kcp.le32(packet, at, -1);
        packet[at + 4] = (byte) Fec.TYPE_OOB;
        int size = NOTICE_LENGTH - Fec.HEADER;
        packet[at + 6] = (byte) size;
        packet[at + 7] = (byte) (size >>> 8);
        Kcp.le32(packet, at + Fec.HEADER_PLUS_SIZE, conv);
        System.arraycopy(CLOSE_PAYLOAD, 0, packet, at + Fec.HEADER_PLUS_SIZE + 4, CLOSE_PAYLOAD.length);
        if (options.crypt() != null) {
            options.crypt().seal(packet, packet.length);
        }
        return packet;
    }

    /** Whether {@code packet[at..at+length)} (crypt header removed) is a close notice. */
    static boolean isCloseNotice(byte[] packet, int at, int length) {
        return length == NOTICE_LENGTH && Fec.flag(packet, at) == Fec.TYPE_OOB
                && java.util.Arrays.equals(packet, at + Fec.HEADER_PLUS_SIZE + 4, at + length, CLOSE_PAYLOAD, 0,
                        CLOSE_PAYLOAD.length);
    }

    /** The conversation a close notice ends. */
    static int noticeConv(byte[] packet, int at) {
        return Kcp.le32(packet, at + Fec.HEADER_PLUS_SIZE);
    }

    @Override
    public CompletableFuture<Void> send(Message message) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        byte[] frame;
        try {
            frame = FrameCodec.encode(message);
        } catch (RuntimeException e) {
            written.completeExceptionally(e);
            return written;
        }
        if (done) {
            written.completeExceptionally(new TransportException(this + " is closed"));
            return written;
        }
        try {
            loop.execute(() -> {
                if (done || closing) {
                    written.completeExceptionally(new TransportException(this + " is closed"));
                    return;
                }
                kcp.send(frame);
                if (!flushQueued) {
                    flushQueued = true;
                    loop.execute(this::flushQueuedSends);
                }
                written.complete(null);
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            written.completeExceptionally(new TransportException(this + " is closed (its transport is closed)"));
        }
        return written;
    }

    /** Sends what queued up in one pass (sends of one loop turn share packets). */
    private void flushQueuedSends() {
        flushQueued = false;
        if (!done) {
            kcp.clock((int) now());
            kcp.flush();
            channel.flush();
            hurry(); // retransmissions are due within the interval now
        }
    }

    /** Test hook: queues raw bytes on the stream, as a peer speaking anything but rpcx would. */
    void sendRaw(byte[] bytes) {
        loop.execute(() -> {
            kcp.send(bytes);
            flushQueuedSends();
        });
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public boolean isOpen() {
        return !done;
    }

    @Override
    public void pauseReading() {
        paused = true;
    }

    @Override
    public void resumeReading() {
        if (paused) {
            paused = false;
            run(() -> {
                lastReceived = now(); // a paused session was not idle
                drain();
                if (kcp.busy()) {
                    hurry(); // e.g. the window update the peer waits for
                }
            });
        }
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /** Closes after what was sent is acknowledged (at most {@link #LINGER_MILLIS}), then tells the peer. */
    @Override
    public void close() {
        if (done) {
            return;
        }
        if (loop.inEventLoop()) {
            beginClose();
        } else {
            run(this::beginClose);
        }
    }

    /** Runs a task on the session's event loop; once the transport shut that down, the session is over anyway. */
    private void run(Runnable task) {
        try {
            loop.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            closed.complete(null);
        }
    }

    private void beginClose() {
        if (closing || done) {
            return;
        }
        closing = true;
        kcp.clock((int) now());
        kcp.flush();
        channel.flush();
        if (kcp.waiting() == 0) {
            finish(true);
        } else {
            lingerUntil = now() + LINGER_MILLIS;
        }
    }

    /** Closes at once (the transport is closing): sends what is due, tells the peer, no lingering. */
    void closeNow() {
        if (loop.inEventLoop()) {
            finish(true);
        } else {
            run(() -> finish(true));
        }
    }

    private void closedByPeer() {
        finish(false);
    }

    private void fail(Throwable error) {
        if (done) {
            return;
        }
        if (!failed) {
            failed = true;
            if (opened) {
                handler.onError(this, error instanceof RpcException ? error
                        : new TransportException(this + " failed: " + error, error));
            }
        }
        finish(true);
    }

    /** Ends the session; on the event loop. {@code notify}: send the close notice first. */
    void finish(boolean notify) {
        if (done) {
            return;
        }
        done = true;
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (notify && channel.isActive()) {
            channel.write(new DatagramPacket(Unpooled.wrappedBuffer(closeNotice(options, kcp.conv())), remote),
                    channel.voidPromise());
        }
        channel.flush();
        inbound.release();
        try {
            onClosed.run();
            if (opened) {
                handler.onClose(this);
            }
        } finally {
            closed.complete(null);
        }
    }

    /** KCP packets rebuilt by FEC so far (rather than waiting for their retransmission). */
    long fecRecovered() {
        return fecRecovered;
    }

    /** The session's KCP state, for diagnostics. */
    String state() {
        return kcp.state() + " buffered=" + (done ? 0 : inbound.readableBytes()) + " paused=" + paused;
    }

    @Override
    public String toString() {
        return "kcp connection " + remote + " (conv " + Integer.toUnsignedString(kcp.conv()) + ")";
    }
}
