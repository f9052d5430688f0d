package rpcx.transport.tcp;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import rpcx.api.TransportException;
import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.FrameTooLargeException;
import rpcx.api.protocol.Message;
import rpcx.api.spi.Connection;
import rpcx.api.spi.ConnectionHandler;

/**
 * A {@link Connection} over one Netty channel.
 *
 * <p><b>Writes and flush coalescing.</b> {@link #send} may be called from any thread. It encodes the message's
 * strings on the caller's thread ({@link FrameCodec#prepare}), appends the result to a lock-free queue, and, if no
 * drain is pending, schedules one drain task on the channel's event loop. The drain writes everything queued
 * without flushing and flushes once at the end (and every {@value #FLUSH_EVERY} frames in long bursts). So a burst
 * of sends from any number of threads, or all the replies a handler sends while the event loop processes one
 * read, costs one task and one {@code writev} system call instead of one per frame. A single send under no load is
 * flushed at once by its own drain, so nothing waits for a timer.
 */
final class NettyConnection implements Connection {
    /** The channel attribute holding a channel's connection. */
    static final AttributeKey<NettyConnection> KEY = AttributeKey.valueOf("rpcx.connection");
    /** Frames written per flush at most, in one drain. */
    static final int FLUSH_EVERY = 128;

    private record Pending(FrameCodec.Encoded frame, CompletableFuture<Void> written) {
    }

    private final Channel channel;
    private final ConnectionHandler handler;
    private final Endpoint endpoint;
    private final String kind;
    private final int maxMessageLength;
    private final Queue<Pending> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Runnable drain = this::drain;
    private volatile boolean reading = true;
    private volatile SocketAddress local;
    private volatile SocketAddress remote;

    NettyConnection(Channel channel, ConnectionHandler handler, Endpoint endpoint, String kind, int maxMessageLength) {
        this.channel = channel;
        this.handler = handler;
        this.endpoint = endpoint;
        this.kind = kind;
        this.maxMessageLength = maxMessageLength;
    }

    Channel channel() {
        return channel;
    }

    ConnectionHandler handler() {
        return handler;
    }

    /** {@code epoll} or {@code nio}. */
    String kind() {
        return kind;
    }

    /** Records the channel's addresses while it is open (NIO cannot tell them after the close). */
    void captureAddresses() {
        local = jdkAddress(channel.localAddress());
        remote = jdkAddress(channel.remoteAddress());
    }

    /** Netty's unix socket address becomes the JDK's; everything else is kept. */
    static SocketAddress jdkAddress(SocketAddress a) {
        if (a instanceof DomainSocketAddress d) {
            return UnixDomainSocketAddress.of(d.path());
        }
        return a;
    }

    @Override
    public CompletableFuture<Void> send(Message message) {
        Objects.requireNonNull(message, "message");
        if (!isOpen()) {
            return CompletableFuture.failedFuture(closedError());
        }
        FrameCodec.Encoded frame;
        try {
            frame = FrameCodec.prepare(message);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (frame.totalLength() > maxMessageLength) {
            return CompletableFuture.failedFuture(new FrameTooLargeException("outgoing frame totalLen",
                    frame.totalLength(), maxMessageLength));
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        outbound.add(new Pending(frame, written));
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(drain);
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false);
                failPending();
            }
        }
        return written;
    }

    /** On the event loop: writes every queued frame, flushing once per {@value #FLUSH_EVERY} and at the end. */
    private void drain() {
        drainScheduled.set(false);
        if (!channel.isActive()) {
            failPending();
            return;
        }
        int unflushed = 0;
        Pending p;
        while ((p = outbound.poll()) != null) {
            CompletableFuture<Void> written = p.written();
            ChannelPromise promise = channel.newPromise();
            promise.addListener(f -> {
                if (f.isSuccess()) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(writeError(f.cause()));
                }
            });
            channel.write(p.frame(), promise);
            if (++unflushed == FLUSH_EVERY) {
                channel.flush();
                unflushed = 0;
            }
        }
        if (unflushed > 0) {
            channel.flush();
        }
    }

    /** Fails every frame still queued (the connection is gone). */
    void failPending() {
        Pending p;
        while ((p = outbound.poll()) != null) {
            p.written().completeExceptionally(closedError());
        }
    }

    private TransportException closedError() {
        return new TransportException(this + " is closed");
    }

    private TransportException writeError(Throwable cause) {
        if (cause instanceof ClosedChannelException) {
            return new TransportException(this + " closed before the frame was written", cause);
        }
        if (cause instanceof TransportException te) {
            return te;
        }
        return new TransportException("writing to " + this + " failed: " + cause, cause);
    }

    @Override
    public SocketAddress remoteAddress() {
        SocketAddress a = remote;
        return a != null ? a : jdkAddress(channel.remoteAddress());
    }

    @Override
    public SocketAddress localAddress() {
        SocketAddress a = local;
        return a != null ? a : jdkAddress(channel.localAddress());
    }

    @Override
    public boolean isOpen() {
        return !closing.get() && channel.isOpen();
    }

    /** Whether frames are still delivered to the handler. */
    boolean reading() {
        return reading;
    }

    /** Whether this side asked for the close (rather than the peer or an error). */
    boolean closedLocally() {
        return closing.get();
    }

    @Override
    public void pauseReading() {
        reading = false;
        channel.config().setAutoRead(false);
    }

    @Override
    public void resumeReading() {
        reading = true;
        channel.config().setAutoRead(true);
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /** Completes {@link #closeFuture()}: called once, after the handler's onClose. */
    void markClosed() {
        closing.set(true);
        failPending();
        closed.complete(null);
    }

    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            channel.close();
        }
    }

    /** E.g. {@code tcp connection 127.0.0.1:50412 <-> 127.0.0.1:8972 (epoll)}: this side first. */
    @Override
    public String toString() {
        return endpoint.network() + " connection " + show(localAddress()) + " <-> " + show(remoteAddress()) + " (" + kind + ")";
    }

    private static String show(SocketAddress a) {
        if (a instanceof InetSocketAddress isa) {
            return NetUtil.toSocketAddressString(isa);
        }
        if (a instanceof UnixDomainSocketAddress u) {
            String path = u.getPath().toString();
            return path.isEmpty() ? "(unnamed)" : path;
        }
        return String.valueOf(a);
    }
}
