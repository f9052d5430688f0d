package rpcx.api;

import java.lang.reflect.Type;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import rpcx.api.internal.CodecSet;
import rpcx.api.internal.Executors2;
import rpcx.api.internal.Providers;
import rpcx.api.internal.ServiceMethod;
import rpcx.api.internal.ServiceRegistry;
import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Codec;
import rpcx.api.spi.Connection;
import rpcx.api.spi.ConnectionHandler;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;

/**
 * An rpcx server (Go's {@code server.Server}): register services, functions and handlers, then
 * {@link #listen} on one or more {@code network@address}es. Each request runs off the I/O threads on the
 * configured executor; responses go out as soon as each call finishes, so they may leave out of order.
 *
 * <pre>{@code
 * try (Server server = Server.create()) {
 *     server.register("ServiceUser", new ServiceUser());
 *     server.serve("tcp", "localhost:8972");   // blocks until the server is closed
 * }
 * }</pre>
 */
public final class Server implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("rpcx.server");
    private static final byte[] EMPTY = new byte[0];
    /** The error text new requests get while the server shuts down; rpcx clients treat it as a transport error. */
    public static final String SHUTTING_DOWN = "rpcx: server is shutting down";

    private enum State { RUNNING, SHUTTING_DOWN, CLOSED }

    private record Bound(String network, Transport transport, Listener listener) {
    }

    private final ServerOptions options;
    private final FrameLimits limits;
    private final CodecSet codecs;
    private final ServiceRegistry registry = new ServiceRegistry();
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final List<Bound> bound = new CopyOnWriteArrayList<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    /** Per connection: requests running or waiting for their reply to be written (backpressure). */
    private final Map<Connection, AtomicInteger> pendingByConnection = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final ConnectionHandler handler = new Inbound();
    private volatile State state = State.RUNNING;

    private Server(ServerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.limits = options.frameLimits();
        this.codecs = CodecSet.load(options.codecs());
        if (options.executor() != null) {
            this.executor = options.executor();
            this.ownedExecutor = null;
        } else {
            this.ownedExecutor = Executors2.serviceExecutor();
            this.executor = ownedExecutor;
        }
    }

    /** A server with {@link ServerOptions#defaults()}. */
    public static Server create() {
        return new Server(ServerOptions.defaults());
    }

    /** A server with the given options. Fails if two codec or compressor modules claim one wire id. */
    public static Server create(ServerOptions options) {
        return new Server(options);
    }

    /** The options this server runs with. */
    public ServerOptions options() {
        return options;
    }

    /**
     * Registers a service object under its class's simple name (or its {@link RpcService} name), like Go's
     * {@code Register}. Every public method taking {@code (args)} or {@code (CallContext, args)} and returning a
     * reply or a {@code CompletionStage} of one is exposed under its capitalised name ({@link RpcMethod} overrides).
     *
     * @throws RpcConfigurationException when no method is suitable, a name repeats, or the service is registered
     */
    public Server register(Object service) {
        RpcService ann = service.getClass().getAnnotation(RpcService.class);
        return register(ann != null ? ann.value() : service.getClass().getSimpleName(), service, "");
    }

    /** Registers a service object under an explicit name (Go's {@code RegisterName}). */
    public Server register(String name, Object service) {
        return register(name, service, "");
    }

    /**
     * Registers a service object under an explicit name with registry metadata (a URL query string such as
     * {@code weight=7&group=a}, published by registry plugins).
     */
    public Server register(String name, Object service, String metadata) {
        registry.register(name, Objects.requireNonNull(service, "service"), metadata);
        return this;
    }

    /**
     * Registers a plain function under a service path (Go's {@code RegisterFunction}), e.g.
     * {@code registerFunction("ServiceUserFn", "UserReply", Args.class, Functions::userReply)}. As in Go, an
     * error reply of a function carries no payload.
     */
    public <A, R> Server registerFunction(String servicePath, String name, Class<A> argsType, ServiceFunction<A, R> function) {
        Objects.requireNonNull(function, "function");
        registry.registerFunction(servicePath, ServiceMethod.function(name, argsType, function), "");
        return this;
    }

    /** Adds a router-style handler for one path and method (Go's {@code AddHandler}); checked before services. */
    public Server addHandler(String servicePath, String serviceMethod, Handler handler) {
        registry.addHandler(servicePath, serviceMethod, Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Registered service names and their registry metadata. */
    public Map<String, String> services() {
        return registry.services();
    }

    /** The exposed methods of a service. */
    public List<String> methods(String servicePath) {
        return registry.methodNames(servicePath);
    }

    /**
     * Starts listening without blocking and returns the bound address as {@code network@host:port} (the real
     * port when {@code address} asks for port 0).
     *
     * @param network e.g. {@code tcp}, {@code tcp4}, {@code unix}, {@code memu}
     * @param address e.g. {@code localhost:8972}, {@code :8972}, {@code 127.0.0.1:0}
     * @throws TransportException when the address cannot be bound
     * @throws RpcConfigurationException when no module serves the network
     */
    public String listen(String network, String address) {
        if (state != State.RUNNING) {
            throw new IllegalStateException("server is " + state.name().toLowerCase().replace('_', ' '));
        }
        Transport transport = Providers.transport(network).create(new TransportConfig(limits, options.readTimeout(),
                options.writeTimeout(), options.frameTimeout(), TransportConfig.DEFAULT.connectTimeout(), options.ioThreads()));
        Listener listener;
        try {
            listener = transport.listen(network, address, handler).join();
        } catch (CompletionException e) {
            transport.close();
            throw unwrap(e, "cannot listen on " + network + "@" + address);
        }
        bound.add(new Bound(network, transport, listener));
        String where = network + "@" + formatAddress(listener.localAddress());
        LOG.log(System.Logger.Level.INFO, () -> "server pid:" + ProcessHandle.current().pid() + ", listening on " + where);
        return where;
    }

    /** Starts listening on {@code network@address} (no {@code @} means {@code tcp}). */
    public String listen(String networkAndAddress) {
        ServerNode node = ServerNode.of(networkAndAddress);
        return listen(node.network(), node.hostAndPort());
    }

    /** Listens and blocks until the server is closed, like Go's {@code Serve}. */
    public void serve(String network, String address) throws InterruptedException {
        listen(network, address);
        awaitTermination();
    }

    /** The first bound address as {@code network@host:port}, or null before {@link #listen}. */
    public String address() {
        return bound.isEmpty() ? null : bound.get(0).network() + "@" + formatAddress(bound.get(0).listener().localAddress());
    }

    /** Number of open client connections. */
    public int activeConnections() {
        return connections.size();
    }

    /** Blocks until the server is closed. */
    public void awaitTermination() throws InterruptedException {
        try {
            terminated.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Graceful shutdown (Go's {@code Shutdown}): stops accepting, answers new requests with an error, waits for
     * in-flight calls to finish (at most {@code timeout}), then closes everything. The future completes when closed.
     */
    public CompletableFuture<Void> shutdown(Duration timeout) {
        if (state == State.RUNNING) {
            state = State.SHUTTING_DOWN;
            for (Bound b : bound) {
                b.listener().stopAccepting();
            }
            if (inFlight.get() == 0) {
                drained.complete(null);
            }
            drained.orTimeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            LOG.log(System.Logger.Level.WARNING, "rpcx server shutdown: " + inFlight.get()
                                    + " calls still running after " + timeout + "; closing anyway");
                        }
                        close();
                    });
        }
        return terminated;
    }

    /** Closes listeners and connections at once; running calls lose their connection. Idempotent. */
    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        for (Connection c : connections) {
            c.close();
        }
        for (Bound b : bound) {
            b.transport().close();
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
        drained.complete(null);
        terminated.complete(null);
    }

    /** Formats a socket address as Go does: {@code host:port}, IPv6 hosts in brackets. */
    static String formatAddress(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            String host = i.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + i.getPort();
        }
        return String.valueOf(a);
    }

    static RpcException unwrap(Throwable e, String context) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof RpcException r) {
            return r;
        }
        return new TransportException(context + ": " + t, t);
    }

    private final class Inbound implements ConnectionHandler {
        @Override
        public void onOpen(Connection connection) {
            connections.add(connection);
            pendingByConnection.put(connection, new AtomicInteger());
            if (state == State.CLOSED) {
                connection.close();
            }
        }

        @Override
        public void onMessage(Connection connection, Message message) {
            dispatch(connection, message);
        }

        @Override
        public void onError(Connection connection, Throwable error) {
            // the transport has logged the reason already
            LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: closing connection from " + connection.remoteAddress() + ": " + error.getMessage());
        }

        @Override
        public void onClose(Connection connection) {
            connections.remove(connection);
            pendingByConnection.remove(connection);
            LOG.log(System.Logger.Level.INFO, () -> "client has closed this connection: " + formatAddress(connection.remoteAddress()));
        }
    }

    private void dispatch(Connection conn, Message req) {
        if (req.isResponse()) {
            LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: ignoring a response frame from " + conn.remoteAddress());
            return;
        }
        if (req.isHeartbeat()) {
            conn.send(req.withResponse(true)); // echoed verbatim, even when oneway
            return;
        }
        acquire(conn); // before the state check: a shutdown that saw no call in flight never misses this one
        if (state != State.RUNNING) {
            try {
                if (!req.isOneway()) {
                    send(conn, req, null, EMPTY, SHUTTING_DOWN);
                }
            } finally {
                release(conn);
            }
            return;
        }
        long now = System.nanoTime();
        long deadline = 0;
        boolean hasDeadline = false;
        String timeout = req.metadata().get(Message.SERVER_TIMEOUT_KEY);
        if (timeout != null) {
            try {
                deadline = now + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(timeout.trim()));
                hasDeadline = true;
            } catch (NumberFormatException ignored) {
                // Go ignores an unparsable __ServerTimeout too
            }
        }
        CallContext ctx = new CallContext(req, conn.remoteAddress(), deadline, hasDeadline);
        try {
            executor.execute(() -> process(conn, req, ctx));
        } catch (RejectedExecutionException e) {
            try {
                send(conn, req, ctx, EMPTY, "rpcx: server is overloaded or closing");
            } finally {
                release(conn);
            }
        }
    }

    /** Counts a request (or a reply being written) against the server and its connection; pauses reading at the limit. */
    private void acquire(Connection conn) {
        inFlight.incrementAndGet();
        AtomicInteger pending = pendingByConnection.get(conn);
        if (pending != null && pending.incrementAndGet() == options.maxPendingPerConnection()) {
            conn.pauseReading();
        }
    }

    /** The opposite of {@link #acquire}; resumes reading below half the limit and completes a drain. */
    private void release(Connection conn) {
        AtomicInteger pending = pendingByConnection.get(conn);
        if (pending != null && pending.decrementAndGet() == options.maxPendingPerConnection() / 2) {
            conn.resumeReading();
        }
        if (inFlight.decrementAndGet() == 0 && state != State.RUNNING) {
            drained.complete(null);
        }
    }

    private void process(Connection conn, Message req, CallContext ctx) {
        boolean async = false;
        try {
            if (ctx.isExpired()) {
                reply(conn, req, ctx, null, null, new RpcTimeoutException(
                        "rpcx: context deadline exceeded: the request expired before the service started"));
                return;
            }
            ServiceRegistry.Target target = registry.lookup(req.servicePath(), req.serviceMethod());
            if (target instanceof ServiceRegistry.MethodTarget m) {
                async = invoke(conn, req, ctx, m.method());
            } else if (target instanceof ServiceRegistry.HandlerTarget h) {
                runHandler(conn, req, ctx, h.handler());
            } else if (target instanceof ServiceRegistry.NoService n) {
                reply(conn, req, ctx, null, null, new ServiceException(n.message()));
            } else if (target instanceof ServiceRegistry.NoMethod n) {
                reply(conn, req, ctx, null, null, new ServiceException(n.message()));
            }
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "rpcx: internal error serving " + req.servicePath() + "." + req.serviceMethod(), e);
            reply(conn, req, ctx, null, null, e);
        } finally {
            if (!async) {
                release(conn);
            }
        }
    }

    /** Decodes, calls and replies; returns true when the reply will come later from a CompletionStage. */
    private boolean invoke(Connection conn, Message req, CallContext ctx, ServiceMethod method) {
        Codec codec = codecs.find(req.serializeType());
        if (codec == null) {
            // Go's text, then what to add
            reply(conn, req, ctx, null, null, new ServiceException("can not find codec for " + req.serializeType()
                    + Providers.codecAdvice(req.serializeType(), "server")));
            return false;
        }
        Object args;
        try {
            args = codec.decode(codecs.inflatedPayload(req, limits), method.argsType());
        } catch (RpcException e) {
            reply(conn, req, ctx, null, null, e);
            return false;
        }
        Object callArgs = args != null ? args : codec.zeroValue(method.argsType()); // Go decodes nil into a zero value
        Object result;
        try {
            result = ctx.runAsCurrent(() -> method.invoke(ctx, callArgs));
        } catch (Exception e) {
            reply(conn, req, ctx, codec, method.replyType(), e);
            return false;
        }
        if (result instanceof CompletionStage<?> stage) {
            stage.whenComplete((value, error) -> {
                try {
                    if (error != null) {
                        reply(conn, req, ctx, codec, method.replyType(), error);
                    } else {
                        replyValue(conn, req, ctx, codec, value);
                    }
                } finally {
                    release(conn);
                }
            });
            return true;
        }
        replyValue(conn, req, ctx, codec, result);
        return false;
    }

    private void runHandler(Connection conn, Message req, CallContext ctx, Handler h) {
        HandlerContextImpl hc = new HandlerContextImpl(conn, req, ctx);
        try {
            ctx.runAsCurrent(() -> {
                h.handle(hc);
                return null;
            });
            if (hc.written.compareAndSet(false, true)) {
                send(conn, req, ctx, EMPTY, null); // a handler that wrote nothing still answers
            }
        } catch (Exception e) {
            if (hc.written.compareAndSet(false, true)) {
                reply(conn, req, ctx, null, null, e);
            }
        }
    }

    private void replyValue(Connection conn, Message req, CallContext ctx, Codec codec, Object value) {
        byte[] payload;
        try {
            payload = codec.encode(value);
        } catch (RuntimeException e) {
            reply(conn, req, ctx, null, null, e);
            return;
        }
        send(conn, req, ctx, payload, null);
    }

    /** An error reply: the error text in {@code __rpcx_error__}, and the zero reply as payload when known (as Go). */
    private void reply(Connection conn, Message req, CallContext ctx, Codec codec, Type replyType, Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        final Throwable cause = e;
        if (!(cause instanceof RpcException)) {
            LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: " + req.servicePath() + "." + req.serviceMethod() + " failed", cause);
        }
        byte[] payload = EMPTY;
        if (codec != null && replyType != null && replyType != Object.class) {
            try {
                payload = codec.encode(codec.zeroValue(replyType));
            } catch (RuntimeException ignored) {
                payload = EMPTY;
            }
        }
        send(conn, req, ctx, payload, errorText(cause));
    }

    static String errorText(Throwable e) {
        String m = e.getMessage();
        return m != null && !m.isEmpty() ? m : e.getClass().getName();
    }

    private void send(Connection conn, Message req, CallContext ctx, byte[] payload, String error) {
        if (req.isOneway()) {
            return; // Go never answers a oneway request, not even with an error
        }
        Map<String, String> meta = ctx == null ? Map.of() : ctx.responseMetadata();
        Message res;
        if (error != null) {
            res = errorResponse(req, error, meta, payload);
        } else {
            res = req.toResponse().withMetadata(meta);
        }
        res = codecs.withPayload(res, payload, req.compressType());
        int max = limits.maxMessageLength();
        if (res.payloadLength() > max - 65536 && FrameCodec.prepare(res).totalLength() > max) {
            String text = "rpcx: the reply of " + req.servicePath() + "." + req.serviceMethod() + " (" + res.payloadLength()
                    + " bytes) exceeds the server's maximum message size of " + max + " bytes";
            LOG.log(System.Logger.Level.WARNING, text);
            res = errorResponse(req, text, meta, EMPTY);
        }
        acquire(conn); // a graceful shutdown also waits for the reply to be written
        conn.send(res).whenComplete((v, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: reply to " + conn.remoteAddress() + " not written: " + e.getMessage());
            }
            release(conn);
        });
    }

    private static Message errorResponse(Message req, String error, Map<String, String> meta, byte[] payload) {
        Map<String, String> m = new HashMap<>(meta);
        m.put(Message.ERROR_KEY, error);
        return req.toResponse().withError(true).withMetadata(m).withPayload(payload);
    }

    private final class HandlerContextImpl implements HandlerContext {
        private final Connection conn;
        private final Message req;
        private final CallContext ctx;
        private final AtomicBoolean written = new AtomicBoolean();
        private byte[] inflated;

        HandlerContextImpl(Connection conn, Message req, CallContext ctx) {
            this.conn = conn;
            this.req = req;
            this.ctx = ctx;
        }

        @Override
        public CallContext call() {
            return ctx;
        }

        @Override
        public byte[] payload() {
            if (inflated == null) {
                inflated = codecs.inflatedPayload(req, limits);
            }
            return inflated;
        }

        @Override
        public <T> T bind(Class<T> type) {
            return type.cast(bind((Type) type));
        }

        @Override
        public Object bind(Type type) {
            return codecs.decode(req.serializeType(), payload(), type);
        }

        @Override
        public void write(Object reply) {
            byte[] payload = codecs.require(req.serializeType()).encode(reply); // a failure here becomes the handler's error
            if (written.compareAndSet(false, true)) {
                send(conn, req, ctx, payload, null);
            }
        }

        @Override
        public void writeError(String message) {
            if (written.compareAndSet(false, true)) {
                send(conn, req, ctx, EMPTY, message);
            }
        }
    }
}
