package rpcx.api;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import rpcx.api.internal.CodecSet;
import rpcx.api.internal.Executors2;
import rpcx.api.internal.Providers;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Connection;
import rpcx.api.spi.ConnectionHandler;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;

/**
 * A client on one connection to one server (Go's {@code client.Client}). Calls are multiplexed on the
 * connection by seq and may complete out of order. When the connection drops, calls in flight fail at once with
 * a {@link TransportException}; the client is then closed and a new one must be connected ({@link XClient} does
 * that by itself).
 *
 * <pre>{@code
 * try (Client client = Client.connect("tcp@localhost:8972", ClientOptions.defaults())) {
 *     Reply reply = client.call("ServiceUser", "UserInfo", new Args(999), Reply.class);
 * }
 * }</pre>
 */
public final class Client implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("rpcx.client");

    private final String address;
    private final ClientOptions options;
    private final FrameLimits limits;
    private final CodecSet codecs;
    private final java.util.concurrent.Executor callbacks;
    private final Transport transport;
    private final Map<Long, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Bit 1: connectionCreated reported; bit 2: closed. Whoever sets the second bit reports connectionClosed. */
    private final java.util.concurrent.atomic.AtomicInteger reported = new java.util.concurrent.atomic.AtomicInteger();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile Connection connection;
    private volatile ScheduledFuture<?> heartbeat;
    private volatile ScheduledFuture<?> idleCheck;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean retired;
    /** Server pushes go to the handler one at a time, in arrival order. */
    private final java.util.concurrent.Executor pushes = Executors2.serial();

    private Client(String address, ClientOptions options, CodecSet codecs) {
        this.address = address;
        this.options = options;
        this.limits = FrameLimits.DEFAULT.withMaxMessageLength(options.maxMessageLength());
        this.codecs = codecs;
        this.callbacks = options.callbacks();
        ServerNode node = ServerNode.of(address);
        // the idle timeout is kept here, not in the transport: like Go's IdleTimeout, sends count as activity too
        this.transport = Providers.transport(node.network()).create(new TransportConfig(limits, java.time.Duration.ZERO,
                java.time.Duration.ZERO, TransportConfig.DEFAULT.frameTimeout(), options.connectTimeout(), 0,
                null, false, options.tls(), false, false, null, options.transportOptions()));
    }

    /**
     * Connects to {@code network@host:port} (no {@code @} means {@code tcp}).
     *
     * @throws TransportException when the server cannot be reached within the connect timeout
     * @throws RpcConfigurationException when no module serves the network
     */
    public static Client connect(String address, ClientOptions options) {
        return connect(address, options, CodecSet.load(options.codecs()));
    }

    static Client connect(String address, ClientOptions options, CodecSet codecs) {
        Client c = new Client(Objects.requireNonNull(address, "address"), Objects.requireNonNull(options, "options"), codecs);
        c.open();
        return c;
    }

    private void open() {
        ServerNode node = ServerNode.of(address);
        try {
            connection = transport.connect(node.network(), node.hostAndPort(), new Inbound())
                    .get(options.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            transport.close();
            throw new RpcCancelledException("interrupted while connecting to " + address);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            Executors2.callbacks().execute(transport::close); // never make the caller wait for the cleanup
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            RpcException error = cause instanceof RpcException r ? r
                    : new TransportException("cannot connect to " + address + ": " + cause, cause);
            options.plugins().forEach(p -> p.connectionFailed(address, error));
            throw error;
        }
        options.plugins().forEach(p -> p.connectionCreated(address));
        if (reported.getAndUpdate(v -> v | 1) == 2) {
            reportClosed(); // the peer closed the connection before it was handed to us
        }
        if (options.heartbeat() && !options.heartbeatInterval().isZero()) {
            long every = options.heartbeatInterval().toNanos();
            heartbeat = Executors2.timer().scheduleAtFixedRate(this::sendHeartbeat, every, every, TimeUnit.NANOSECONDS);
            if (closed.get()) {
                heartbeat.cancel(false); // the connection closed while we were scheduling
            }
        }
        if (!options.idleTimeout().isZero()) {
            long every = Math.max(1, options.idleTimeout().toNanos() / 4);
            idleCheck = Executors2.timer().scheduleWithFixedDelay(this::checkIdle, every, every, TimeUnit.NANOSECONDS);
            if (closed.get()) {
                idleCheck.cancel(false);
            }
        }
    }

    /** The server address, {@code network@host:port}. */
    public String address() {
        return address;
    }

    /** Whether the connection is open. */
    public boolean isOpen() {
        Connection c = connection;
        return !closed.get() && c != null && c.isOpen();
    }

    /** Number of calls waiting for a reply. */
    public int pendingCalls() {
        return pending.size();
    }

    /** Completes when the client is closed (by {@link #close()} or because the connection dropped). */
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    /** Calls a method and waits for the reply (no deadline). */
    public <R> R call(String servicePath, String method, Object args, Class<R> replyType) {
        return call(servicePath, method, args, replyType, CallOptions.NONE);
    }

    /** Calls a method and waits for the reply, honouring the options' deadline and metadata. */
    public <R> R call(String servicePath, String method, Object args, Class<R> replyType, CallOptions callOptions) {
        Response<R> r = invoke(servicePath, method, args, replyType, callOptions);
        return r.value();
    }

    /** Calls a method and returns the reply with its metadata. */
    public <R> Response<R> invoke(String servicePath, String method, Object args, Type replyType, CallOptions callOptions) {
        Deadline d = Deadline.of(callOptions);
        return invokeUntil(servicePath, method, args, replyType, callOptions, d);
    }

    <R> Response<R> invokeUntil(String servicePath, String method, Object args, Type replyType, CallOptions callOptions,
                                Deadline deadline) {
        Message request = request(servicePath, method, args, callOptions, deadline);
        Message response = await(exchange(request, deadline));
        return decode(response, replyType);
    }

    /**
     * Calls a method without blocking; the future completes on the client's callback executor (off the I/O threads
     * unless {@link ClientOptions#withCallbackExecutor} says otherwise).
     */
    public <R> CompletableFuture<R> callAsync(String servicePath, String method, Object args, Type replyType,
                                              CallOptions callOptions) {
        return this.<R, R>invokeAsync(servicePath, method, args, replyType, callOptions, Deadline.of(callOptions),
                Response::value);
    }

    /** {@code inner.thenApply(fn)}, where cancelling the result cancels {@code inner} too. */
    static <T, U> CompletableFuture<U> cancelling(CompletableFuture<T> inner, java.util.function.Function<T, U> fn) {
        CompletableFuture<U> out = inner.thenApply(fn);
        out.whenComplete((r, e) -> {
            if (out.isCancelled()) {
                inner.cancel(false);
            }
        });
        return out;
    }

    <R> CompletableFuture<Response<R>> invokeAsync(String servicePath, String method, Object args, Type replyType,
                                                   CallOptions callOptions, Deadline deadline) {
        return this.<R, Response<R>>invokeAsync(servicePath, method, args, replyType, callOptions, deadline, r -> r);
    }

    /**
     * Sends a call; the result is {@code fn(decoded response)}, completed on the callback executor, exactly as
     * {@code exchange(...).thenApplyAsync(decode.andThen(fn))} would (same exception wrapping), with one stage
     * instead of four. Cancelling the result stops waiting for the reply and frees its pending slot.
     */
    private <R, T> CompletableFuture<T> invokeAsync(String servicePath, String method, Object args, Type replyType,
                                                    CallOptions callOptions, Deadline deadline,
                                                    java.util.function.Function<Response<R>, T> fn) {
        Message request;
        try {
            request = request(servicePath, method, args, callOptions, deadline);
        } catch (RpcException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Message> call = exchange(request, deadline);
        CompletableFuture<T> out = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean cancelled = super.cancel(mayInterruptIfRunning);
                if (cancelled) {
                    call.cancel(false);
                }
                return cancelled;
            }
        };
        call.whenCompleteAsync((res, e) -> {
            if (e != null) {
                out.completeExceptionally(e instanceof CompletionException ? e : new CompletionException(e));
                return;
            }
            try {
                out.complete(fn.apply(this.<R>decode(res, replyType)));
            } catch (Throwable t) {
                out.completeExceptionally(t instanceof CompletionException ? t : new CompletionException(t));
            }
        }, callbacks);
        return out;
    }

    /** Sends a oneway request (no reply expected); the future completes once it is written. */
    public CompletableFuture<Void> oneway(String servicePath, String method, Object args, CallOptions callOptions) {
        Message request;
        try {
            request = request(servicePath, method, args, callOptions, Deadline.of(callOptions)).withOneway(true);
        } catch (RpcException e) {
            return CompletableFuture.failedFuture(e);
        }
        Followed followed = options.plugins().isEmpty() ? new Followed(request, List.of()) : follow(request);
        CompletableFuture<Void> written = send(followed.request());
        followed.endWhen(written);
        return offIoThreads(written);
    }

    /** The same outcome, completed on the callback executor (by default never on an I/O thread). */
    private <T> CompletableFuture<T> offIoThreads(CompletableFuture<T> f) {
        return f.whenCompleteAsync((r, e) -> {
        }, callbacks);
    }

    /**
     * Sends a pre-built frame (Go's {@code SendRaw}): its seq is replaced by this connection's next seq. The
     * future completes with the raw response frame, or with null for a oneway frame once written.
     */
    public CompletableFuture<Message> sendRaw(Message request) {
        Message r = beforeSend(request);
        if (r.isOneway()) {
            return offIoThreads(send(r).thenApply(v -> null));
        }
        return offIoThreads(exchange(r, Deadline.NONE)).thenApply(this::afterReceive);
    }

    private Message request(String servicePath, String method, Object args, CallOptions callOptions, Deadline deadline) {
        int st = callOptions.serializeType() >= 0 ? callOptions.serializeType() : options.serializeType();
        byte[] payload = codecs.require(st).encode(args);
        Map<String, String> meta = callOptions.metadata();
        if (deadline.has()) {
            meta = new HashMap<>(meta);
            meta.put(Message.SERVER_TIMEOUT_KEY, Long.toString(Math.max(0, deadline.remainingMillis())));
        }
        Message m = Message.request(0, servicePath, method, st, meta, payload);
        return beforeSend(codecs.withPayload(m, payload, options.compressType()));
    }

    private Message beforeSend(Message request) {
        Message m = request;
        for (ClientPlugin p : options.plugins()) {
            m = Objects.requireNonNull(p.beforeSend(m), "ClientPlugin.beforeSend returned null");
        }
        return m;
    }

    private Message afterReceive(Message response) {
        Message m = response;
        for (ClientPlugin p : options.plugins()) {
            m = Objects.requireNonNull(p.afterReceive(m), "ClientPlugin.afterReceive returned null");
        }
        return m;
    }

    private CompletableFuture<Void> send(Message request) {
        Connection c = connection;
        if (closed.get() || c == null) {
            return CompletableFuture.failedFuture(closedError());
        }
        lastActivity = System.nanoTime();
        return c.send(request.withSeq(seq.getAndIncrement()));
    }

    /** Sends a request and completes with its response frame (or a typed error). */
    private CompletableFuture<Message> exchange(Message request, Deadline deadline) {
        if (request.isHeartbeat() || options.plugins().isEmpty()) {
            return exchangeUnfollowed(request, deadline);
        }
        Followed followed = follow(request);
        CompletableFuture<Message> f = exchangeUnfollowed(followed.request(), deadline);
        followed.endWhen(f);
        return f;
    }

    /** A request as the plugins changed it, and the plugins following its exchange (none: an empty list). */
    private record Followed(Message request, List<ClientPlugin.Exchange> followers) {
        /** Tells the followers how {@code outcome} ended, once it does. */
        void endWhen(CompletableFuture<?> outcome) {
            if (followers.isEmpty()) {
                return;
            }
            outcome.whenComplete((res, e) -> {
                Throwable error = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                for (ClientPlugin.Exchange x : followers) {
                    try {
                        x.ended(res instanceof Message m ? m : null, error);
                    } catch (RuntimeException hookError) {
                        LOG.log(System.Logger.Level.WARNING, "rpcx: client plugin Exchange.ended failed", hookError);
                    }
                }
            });
        }
    }

    private Followed follow(Message request) {
        Message m = request;
        List<ClientPlugin.Exchange> followers = new ArrayList<>();
        for (ClientPlugin p : options.plugins()) {
            ClientPlugin.Exchange x = p.exchange(m);
            if (x != null) {
                m = Objects.requireNonNull(x.request(), "ClientPlugin.Exchange.request() returned null");
                followers.add(x);
            }
        }
        return new Followed(m, followers);
    }

    private CompletableFuture<Message> exchangeUnfollowed(Message request, Deadline deadline) {
        Connection c = connection;
        if (closed.get() || c == null) {
            return CompletableFuture.failedFuture(closedError());
        }
        long s = seq.getAndIncrement();
        PendingCall f = new PendingCall(s);
        pending.put(s, f);
        if (closed.get()) { // closed between the check and the put: fail it ourselves
            if (pending.remove(s, f)) {
                f.completeExceptionally(closedError());
            }
            return f;
        }
        if (deadline.has()) {
            long left = deadline.remainingNanos();
            ScheduledFuture<?> timer = Executors2.timer().schedule(() -> {
                if (pending.remove(s, f)) {
                    f.completeExceptionally(new RpcTimeoutException("call " + request.servicePath() + "." + request.serviceMethod()
                            + " to " + address + " timed out after " + deadline.timeoutMillis() + " ms"));
                    retireCheck();
                }
            }, Math.max(0, left), TimeUnit.NANOSECONDS);
            f.whenComplete((r, e) -> timer.cancel(false));
        }
        lastActivity = System.nanoTime();
        c.send(request.withSeq(s)).whenComplete((v, e) -> {
            if (e != null && pending.remove(s, f)) {
                f.completeExceptionally(e instanceof RpcException ? e
                        : new TransportException("cannot send to " + address + ": " + e.getMessage(), e));
            }
        });
        return f;
    }

    /** A call waiting for its reply; cancelling it frees its slot in {@code pending}. */
    private final class PendingCall extends CompletableFuture<Message> {
        private final long seq;

        PendingCall(long seq) {
            this.seq = seq;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled && pending.remove(seq, this)) {
                retireCheck();
            }
            return cancelled;
        }
    }

    private TransportException closedError() {
        return new TransportException("connection to " + address + " is closed; connect again");
    }

    private static Message await(CompletableFuture<Message> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(false);
            throw new RpcCancelledException("interrupted while waiting for a reply");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RpcException r) {
                throw r;
            }
            throw new TransportException(String.valueOf(cause), cause);
        }
    }

    <R> Response<R> decode(Message received, Type replyType) {
        Message res = afterReceive(received);
        if (res.isError()) {
            String msg = res.errorMessage();
            if (Server.SHUTTING_DOWN.equals(msg)) {
                // not run, and the server is going away: a transport error, so fail modes move on
                throw new TransportException(address + " is shutting down and did not run the call (" + msg + ")");
            }
            if ("true".equals(res.metadata().get(Server.AUTH_REFUSED_KEY))) {
                throw new UnauthenticatedException(msg != null ? msg : "refused by the server's auth function");
            }
            String text = msg != null ? msg : "the server answered with an error status but no message";
            if (options.errorParser() != null) {
                RpcException parsed = options.errorParser().apply(res, text);
                if (parsed != null) {
                    throw parsed;
                }
            }
            throw new ServiceException(text, res.metadata());
        }
        byte[] payload = codecs.inflatedPayload(res, limits);
        Object value = null;
        if (replyType == Void.class || replyType == void.class) {
            value = null;
        } else if (payload.length == 0 && res.serializeType() != SerializeType.NONE) {
            // Go leaves the reply zero (a protobuf reply whose fields are all default is sent as no bytes at all)
            value = replyType == Object.class ? null : codecs.require(res.serializeType()).zeroValue(replyType);
        } else {
            value = codecs.decode(res.serializeType(), payload, replyType);
        }
        @SuppressWarnings("unchecked")
        R r = (R) value;
        return new Response<>(r, res.metadata(), address);
    }

    private void sendHeartbeat() {
        if (!isOpen()) {
            return;
        }
        Instant now = Instant.now();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        byte[] payload = ByteBuffer.allocate(9).put((byte) 0xd3).putLong(nanos).array(); // msgpack int64, as Go sends
        Message hb = Message.request(0, "", "", SerializeType.MSGPACK, Map.of(), payload).withHeartbeat(true);
        exchange(hb, Deadline.after(options.maxWaitForHeartbeat())).whenComplete((res, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.WARNING, "rpcx: heartbeat to " + address + " failed (" + e.getMessage() + "); closing the connection");
                close();
            } else if (!Arrays.equals(res.payload(), payload)) {
                LOG.log(System.Logger.Level.DEBUG, "rpcx: heartbeat echo from " + address + " differs from what was sent");
            }
        });
    }

    private void checkIdle() {
        long idle = System.nanoTime() - lastActivity;
        if (idle >= options.idleTimeout().toNanos()) {
            LOG.log(System.Logger.Level.INFO, () -> "rpcx: nothing sent to or received from " + address + " for "
                    + options.idleTimeout().toMillis() + " ms (idleTimeout); closing the connection");
            close();
        }
    }

    private void cancelTimers() {
        for (ScheduledFuture<?> t : new ScheduledFuture<?>[] {heartbeat, idleCheck}) {
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    /** Closes once no call is in flight (used when discovery drops this server). */
    void retire() {
        retired = true;
        retireCheck();
    }

    private void retireCheck() {
        if (retired && pending.isEmpty()) {
            close();
        }
    }

    /** Closes the connection; calls in flight fail with a {@link TransportException}. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        cancelTimers();
        Connection c = connection;
        if (c != null) {
            c.close();
        }
        failPending(new TransportException("client to " + address + " was closed while the call was in flight"));
        Executors2.callbacks().execute(transport::close);
        closed();
    }

    /** Tells the plugins, then completes {@link #closeFuture()}. */
    private void closed() {
        if (reported.getAndUpdate(v -> v | 2) == 1) {
            reportClosed();
        }
        closeFuture.complete(null);
    }

    private void reportClosed() {
        if (!options.plugins().isEmpty()) {
            Executors2.callbacks().execute(() -> options.plugins().forEach(p -> p.connectionClosed(address)));
        }
    }

    private void failPending(RpcException error) {
        for (Long s : pending.keySet()) {
            CompletableFuture<Message> f = pending.remove(s);
            if (f != null) {
                f.completeExceptionally(error);
            }
        }
    }

    private final class Inbound implements ConnectionHandler {
        @Override
        public void onMessage(Connection conn, Message m) {
            lastActivity = System.nanoTime();
            if (m.isResponse()) {
                CompletableFuture<Message> f = pending.remove(m.seq());
                if (f != null) {
                    f.complete(m);
                    if (retired) {
                        retireCheck();
                    }
                } else {
                    LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: response for unknown seq " + Long.toUnsignedString(m.seq()) + " from " + address);
                }
            } else if (m.isOneway() && !m.isHeartbeat()) {
                java.util.function.Consumer<Message> handler = options.serverMessageHandler();
                if (handler == null) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: dropping server push " + m.servicePath() + "." + m.serviceMethod() + " from " + address);
                } else {
                    pushes.execute(() -> {
                        try {
                            handler.accept(m);
                        } catch (RuntimeException e) {
                            LOG.log(System.Logger.Level.WARNING, "rpcx: server message handler failed", e);
                        }
                    });
                }
            }
        }

        @Override
        public void onError(Connection conn, Throwable error) {
            LOG.log(System.Logger.Level.WARNING, () -> "rpcx: connection to " + address + " failed: " + error.getMessage());
        }

        @Override
        public void onClose(Connection conn) {
            if (closed.compareAndSet(false, true)) {
                cancelTimers();
                failPending(new TransportException("connection to " + address + " closed while the call was in flight"));
                Executors2.callbacks().execute(transport::close);
                closed();
            }
        }
    }

    /** A call deadline on the nano clock. */
    record Deadline(long atNanos, long timeoutMillis, boolean has) {
        static final Deadline NONE = new Deadline(0, 0, false);

        static Deadline of(CallOptions o) {
            return o.timeout() == null ? NONE : after(o.timeout());
        }

        static Deadline after(java.time.Duration d) {
            return new Deadline(System.nanoTime() + d.toNanos(), d.toMillis(), true);
        }

        long remainingNanos() {
            return atNanos - System.nanoTime();
        }

        long remainingMillis() {
            return TimeUnit.NANOSECONDS.toMillis(remainingNanos());
        }

        boolean expired() {
            return has && remainingNanos() <= 0;
        }
    }
}
