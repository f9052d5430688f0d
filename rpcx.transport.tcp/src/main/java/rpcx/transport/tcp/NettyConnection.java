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
 *
 * <p><b>Protocols.</b> A connection accepted by a multi-protocol listener starts {@link Mode#PENDING}: the server's
 * handler already has it (onOpen at accept), but what it sends is held back until the first bytes tell the
 * protocol. {@link Mode#RPCX} then writes the held frames; {@link Mode#HTTP} makes this connection the pseudo
 * connection of an HTTP/1 client: {@link #send} of a response message answers the HTTP request in progress (through
 * {@link HttpExchangeHandler}), a frame that is not a response is refused, and {@link #close()} ends the exchange
 * (an error response followed by a close becomes HTTP 401) before the socket is closed.
 */
final class NettyConnection implements Connection {
    /** The channel attribute holding a channel's connection. */
    static final AttributeKey<NettyConnection> KEY = AttributeKey.valueOf("rpcx.connection");
    /** Frames written per flush at most, in one drain. */
    static final int FLUSH_EVERY = 128;

    /** What the connection carries. */
    enum Mode {
        /** Accepted, first bytes not seen yet: sends are held back. */
        PENDING,
        /** rpcx frames. */
        RPCX,
        /** HTTP/1 requests (gateway, JSON-RPC): this is their pseudo connection. */
        HTTP
    }

    /** The HTTP side of a connection in {@link Mode#HTTP}. Its methods run on the event loop. */
    interface HttpSide {
        /** The server closed the pseudo connection: finish the exchange in progress, then close the socket. */
        void closeRequested();

        /** The server paused or resumed reading. */
        void readingChanged();
    }

    /** A response message on its way to the HTTP side; {@code offLoop} when sent from outside the event loop. */
    record HttpReply(Message message, boolean offLoop) {
    }

    private record Pending(FrameCodec.Encoded frame, Message message, boolean offLoop, CompletableFuture<Void> written) {
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
    /** Completes when the handler is told onOpen (for a dial: the connection is ready); fails if it never will be. */
    final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final Runnable drain = this::drain;
    private volatile boolean reading = true;
    private volatile SocketAddress local;
    private volatile SocketAddress remote;
    private volatile Mode mode;
    private volatile HttpSide http;

    NettyConnection(Channel channel, ConnectionHandler handler, Endpoint endpoint, String kind, int maxMessageLength,
                    Mode mode) {
        this.channel = channel;
        this.handler = handler;
        this.endpoint = endpoint;
        this.kind = kind;
        this.maxMessageLength = maxMessageLength;
        this.mode = mode;
    }

    /** What the connection carries. */
    Mode mode() {
        return mode;
    }

    /**
     * On the event loop, once the first bytes told the protocol: frames held back are written ({@link Mode#RPCX})
     * or failed ({@link Mode#HTTP}).
     */
    void decide(Mode decided, HttpSide httpSide) {
        this.http = httpSide;
        this.mode = decided;
        if (!outbound.isEmpty()) {
            drain();
        }
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
        CompletableFuture<Void> written = new CompletableFuture<>();
        if (mode == Mode.HTTP) {
            if (!message.isResponse()) {
                return CompletableFuture.failedFuture(new TransportException(this
                        + " is an HTTP connection: it carries responses to HTTP requests only, not " + message));
            }
            outbound.add(new Pending(null, message, !channel.eventLoop().inEventLoop(), written));
        } else {
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
            outbound.add(new Pending(frame, null, false, written));
        }
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
        Mode m = mode;
        if (m == Mode.PENDING) {
            return; // held back until decide()
        }
        int unflushed = 0;
        Pending p;
        while ((p = outbound.poll()) != null) {
            CompletableFuture<Void> written = p.written();
            if ((m == Mode.HTTP) != (p.frame() == null)) {
                written.completeExceptionally(new TransportException(this + " turned out to be "
                        + (m == Mode.HTTP ? "an HTTP connection: the rpcx frame sent before its first request was dropped"
                        : "an rpcx connection")));
                continue;
            }
            ChannelPromise promise = channel.newPromise();
            promise.addListener(f -> {
                if (f.isSuccess()) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(writeError(f.cause()));
                }
            });
            channel.write(m == Mode.HTTP ? new HttpReply(p.message(), p.offLoop()) : p.frame(), promise);
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
        if (!httpReading()) {
            channel.config().setAutoRead(false);
        }
    }

    @Override
    public void resumeReading() {
        reading = true;
        if (!httpReading()) {
            channel.config().setAutoRead(true);
        }
    }

    /** In HTTP mode the HTTP side decides when to read (one request at a time); tells it about the change. */
    private boolean httpReading() {
        HttpSide side = http;
        if (mode != Mode.HTTP || side == null) {
            return false;
        }
        try {
            channel.eventLoop().execute(side::readingChanged);
        } catch (RejectedExecutionException e) {
            // shutting down: nothing to read any more
        }
        return true;
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

    /**
     * Closes the connection. In HTTP mode the HTTP side first finishes the exchange in progress (an error response
     * sent just before becomes HTTP 401, as the server closes the connection when its auth function refuses a
     * call), then closes the socket.
     */
    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            HttpSide side = http;
            if (mode == Mode.HTTP && side != null) {
                try {
                    channel.eventLoop().execute(side::closeRequested);
                    return;
                } catch (RejectedExecutionException e) {
                    // event loop gone: close directly
                }
            }
            channel.close();
        }
    }

    /** E.g. {@code tcp connection 127.0.0.1:50412 <-> 127.0.0.1:8972 (epoll)}: this side first. */
    @Override
    public String toString() {
        return endpoint.network() + (mode == Mode.HTTP ? " HTTP" : "") + " connection " + show(localAddress()) + " <-> " + show(remoteAddress()) + " (" + kind + ")";
    }

    static String show(SocketAddress a) {
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
