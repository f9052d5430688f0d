package rpcx.api;

import java.lang.reflect.Type;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;

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
 *     server.shutdownOnSignal(Duration.ofSeconds(10)); // SIGTERM, Ctrl-C: graceful shutdown, then exit
 *     server.serve("tcp", "localhost:8972");           // blocks until the server is closed
 * }
 * }</pre>
 *
 * <p>Besides services: {@link #addPlugin plugins} (Go's {@code s.Plugins.Add}), {@link #authFunction}
 * ({@code AuthFunc}), {@link #errorFunction} ({@code ServerErrorFunc}), {@link #serviceErrorHandler}
 * ({@code HandleServiceError}), server pushes with {@link #sendMessage} ({@code SendMessage}) to the
 * {@link #clientConnections()} ({@code ActiveClientConn}), and a graceful {@link #shutdown} with
 * {@link #onShutdown} hooks. The settings may be changed at any time; they apply to requests read afterwards.
 */
public final class Server implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("rpcx.server");
    private static final byte[] EMPTY = new byte[0];
    /** The error text new requests get while the server shuts down; rpcx clients treat it as a transport error. */
    public static final String SHUTTING_DOWN = "rpcx: server is shutting down";
    /**
     * Response metadata of a reply the auth function refused, so that our clients can raise
     * {@link UnauthenticatedException}; Go clients ignore it (Go sends only the error text).
     */
    static final String AUTH_REFUSED_KEY = "__rpcx_unauthenticated__";

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
    /** The accepted connections (a connection refused by a plugin never gets here). */
    private final Map<Connection, ServerConnection> connections = new ConcurrentHashMap<>();
    private final AtomicLong connectionIds = new AtomicLong();
    /** Seq of server pushes: the first is 1, as Go's {@code s.seq.Add(1)}. */
    private final AtomicLong pushSeq = new AtomicLong();
    private final List<ServerPlugin> plugins = new CopyOnWriteArrayList<>();
    private final List<Runnable> shutdownHooks = new CopyOnWriteArrayList<>();
    private final List<Runnable> restartHooks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean shutdownHooksRun = new AtomicBoolean();
    private final AtomicBoolean unregistered = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final ConnectionHandler handler = new Inbound();
    private volatile State state = State.RUNNING;
    private volatile boolean drainTimedOut;
    private volatile AuthFunction authFunction;
    private volatile BiFunction<Message, Throwable, String> errorFunction;
    private volatile Consumer<Throwable> serviceErrorHandler;

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

    // ---------------------------------------------------------------- plugins and settings

    /**
     * Adds a plugin (Go's {@code s.Plugins.Add(p)}). Plugins run in the order they were added; see
     * {@link ServerPlugin} for every hook, where it runs and what an exception does. A plugin added after a
     * service was registered is not told about that service (as in Go): add registry plugins first.
     */
    public Server addPlugin(ServerPlugin plugin) {
        plugins.add(Objects.requireNonNull(plugin, "plugin"));
        return this;
    }

    /** Removes a plugin (Go's {@code s.Plugins.Remove(p)}); returns whether it was there. */
    public boolean removePlugin(ServerPlugin plugin) {
        return plugins.remove(plugin);
    }

    /** The plugins, in the order they run. */
    public List<ServerPlugin> plugins() {
        return List.copyOf(plugins);
    }

    /**
     * Sets the function that authenticates every request (Go's {@code s.AuthFunc}); null removes it. It gets the
     * {@code __AUTH} metadata ({@code ""} when absent); when it throws, the caller gets an error reply with the
     * exception's message and the connection is closed. Heartbeats are not authenticated. See {@link AuthFunction}.
     */
    public Server authFunction(AuthFunction auth) {
        this.authFunction = auth;
        return this;
    }

    /**
     * Sets the function that turns an error into the {@code __rpcx_error__} text (Go's {@code s.ServerErrorFunc}):
     * it gets the response being built (status Error, path, method, payload; its metadata is not final) and the
     * error, and returns the text, e.g. a JSON object {@code {"code":404,"msg":"..."}} a client can parse. Null
     * removes it; when it returns null or throws, the default text is used (the exception's message). It is used
     * for every error reply made from an exception: service and framework errors, {@link AuthFunction} refusals,
     * {@link RequestLimitException}s; not for {@link HandlerContext#writeError(String)} (the handler chose its
     * text) nor for {@link #SHUTTING_DOWN}, which clients recognise.
     */
    public Server errorFunction(BiFunction<Message, Throwable, String> function) {
        this.errorFunction = function;
        return this;
    }

    /**
     * Sets a hook that sees every service error (Go's {@code s.HandleServiceError}), for logs or metrics: calls
     * that end in an error (thrown by the service, a plugin or the framework, also oneway ones), handler
     * exceptions, refused credentials, and connections closed because a read failed or a read plugin refused
     * them. It runs on the thread where the error happened (an I/O thread for read errors): keep it short. When
     * set, the server does not log those errors itself. Null removes it.
     */
    public Server serviceErrorHandler(Consumer<Throwable> handler) {
        this.serviceErrorHandler = handler;
        return this;
    }

    /**
     * Adds a hook that {@link #restart} runs before it starts the new process (Go's {@code RegisterOnRestart}, which
     * Go registers but never calls).
     */
    public Server onRestart(Runnable hook) {
        restartHooks.add(Objects.requireNonNull(hook, "hook"));
        return this;
    }

    /**
     * Go's {@code Restart}: runs the {@link #onRestart} hooks, starts a new process with this JVM's command line,
     * waits {@code handover} (Go waits 3 s) for it to come up, then shuts this server down gracefully within
     * {@code timeout} — in-flight calls finish here while new connections go to the new process. Both processes
     * listen on the same port at once, so every listener must be on network {@code reuseport}
     * ({@code SO_REUSEPORT}, e.g. {@code server.serve("reuseport", "0.0.0.0:8972")}), as a Go server restarted this
     * way must be. The new process gets the environment variable {@code RPCX_RESTARTED_FROM} with this pid.
     *
     * @return completes when this server is closed
     * @throws IllegalStateException when a listener is not on network {@code reuseport}, or the command line of
     *         this JVM is not known
     */
    public CompletableFuture<Void> restart(Duration handover, Duration timeout) {
        Objects.requireNonNull(handover, "handover");
        Objects.requireNonNull(timeout, "timeout");
        for (Bound b : bound) {
            if (!b.network().equals("reuseport")) {
                throw new IllegalStateException("restart needs every listener on network reuseport (reuseport@host:port):"
                        + " the new process binds the same port while this one drains; " + b.network() + " is not");
            }
        }
        ProcessHandle.Info info = ProcessHandle.current().info();
        String command = info.command().orElseThrow(() -> new IllegalStateException("the command of this JVM is not known"));
        List<String> argv = new java.util.ArrayList<>();
        argv.add(command);
        argv.addAll(List.of(info.arguments().orElseThrow(() -> new IllegalStateException("the arguments of this JVM are not known"))));
        for (Runnable hook : restartHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "rpcx: an onRestart hook failed", e);
            }
        }
        ProcessBuilder pb = new ProcessBuilder(argv).inheritIO();
        pb.environment().put("RPCX_RESTARTED_FROM", Long.toString(ProcessHandle.current().pid()));
        Process child;
        try {
            child = pb.start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot start the new server process: " + e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.INFO, () -> "restart a new rpcx server: " + child.pid());
        CompletableFuture<Void> handedOver = new CompletableFuture<>();
        Executors2.timer().schedule(() -> handedOver.complete(null), handover.toNanos(), TimeUnit.NANOSECONDS);
        return handedOver.thenCompose(v -> shutdown(timeout));
    }

    /**
     * On SIGHUP, {@link #restart} with Go's 3 s hand-over and then exit this JVM (status 0 when every call drained
     * within {@code timeout}). Needs module {@code jdk.unsupported} (as {@link #shutdownOnSignal}).
     */
    public Server restartOnSignal(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        ShutdownSignals.registerRestart(this, timeout);
        return this;
    }

    /**
     * Registers an action to run once on a graceful {@link #shutdown} (Go's {@code RegisterOnShutdown}): after
     * the in-flight calls finished (or the timeout passed), before the connections are closed. Hooks run in the
     * order they were added, on the shutdown thread; an exception is logged and the next hook runs. {@link #close()}
     * alone does not run them.
     */
    public Server onShutdown(Runnable hook) {
        shutdownHooks.add(Objects.requireNonNull(hook, "hook"));
        return this;
    }

    // ---------------------------------------------------------------- registration

    /**
     * Registers a service object under its class's simple name (or its {@link RpcService} name), like Go's
     * {@code Register}. Every public method taking {@code (args)} or {@code (CallContext, args)} and returning a
     * reply or a {@code CompletionStage} of one is exposed under its capitalised name ({@link RpcMethod} overrides).
     *
     * @throws RpcConfigurationException when no method is suitable, a name repeats, or the service is registered;
     *         or when {@link ServerPlugin#register} hooks failed (see {@link #register(String, Object, String)})
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
     * {@code weight=7&group=a}, published by registry plugins). Then every plugin's {@link ServerPlugin#register}
     * runs, all of them even when one throws; if any threw, this throws an {@link RpcConfigurationException}
     * listing them all (each also attached as suppressed). As in Go, the service stays registered and is served.
     */
    public Server register(String name, Object service, String metadata) {
        registry.register(name, Objects.requireNonNull(service, "service"), metadata);
        return registered(name, service, metadata);
    }

    /** Runs every plugin's register hook for a service just registered; their errors as one exception. */
    private Server registered(String name, Object service, String metadata) {
        List<Throwable> errors = new ArrayList<>();
        for (ServerPlugin p : plugins) {
            try {
                p.register(name, service, metadata == null ? "" : metadata);
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        throwAll("registering service '" + name + "'", errors);
        return this;
    }

    /**
     * Registers only the listed methods of a service object (Go's {@code RegisterNameWithMethods}): the other public
     * methods are not exposed. Names are the exposed ones ({@code "Mul"}, or an {@link RpcMethod} name).
     *
     * @throws RpcConfigurationException when the list is empty, a name is not a method of the service, or names a
     *         method that is not suitable; as {@link #register(String, Object, String)} otherwise
     */
    public Server registerWithMethods(String name, Object service, List<String> methods, String metadata) {
        registry.register(name, Objects.requireNonNull(service, "service"), List.copyOf(methods), metadata);
        return registered(name, service, metadata);
    }

    /**
     * Registers only the listed methods under the class's simple name (or its {@link RpcService} name), as Go's
     * {@code RegisterWithMethods}; see {@link #registerWithMethods(String, Object, List, String)}.
     */
    public Server registerWithMethods(Object service, List<String> methods, String metadata) {
        RpcService ann = service.getClass().getAnnotation(RpcService.class);
        return registerWithMethods(ann != null ? ann.value() : service.getClass().getSimpleName(), service, methods, metadata);
    }

    /**
     * Registers a plain function under a service path (Go's {@code RegisterFunction}), e.g.
     * {@code registerFunction("ServiceUserFn", "UserReply", Args.class, Functions::userReply)}. As in Go, an
     * error reply of a function carries no payload.
     */
    public <A, R> Server registerFunction(String servicePath, String name, Class<A> argsType, ServiceFunction<A, R> function) {
        return registerFunction(servicePath, name, argsType, function, "");
    }

    /**
     * Registers a plain function with registry metadata (Go's {@code RegisterFunctionName(servicePath, name, fn,
     * metadata)}). Then every plugin's {@link ServerPlugin#registerFunction} runs; their errors are collected as
     * for {@link #register(String, Object, String)}.
     */
    public <A, R> Server registerFunction(String servicePath, String name, Class<A> argsType, ServiceFunction<A, R> function,
                                          String metadata) {
        Objects.requireNonNull(function, "function");
        registry.registerFunction(servicePath, ServiceMethod.function(name, argsType, function), metadata);
        List<Throwable> errors = new ArrayList<>();
        for (ServerPlugin p : plugins) {
            try {
                p.registerFunction(servicePath, name, function, metadata == null ? "" : metadata);
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        throwAll("registering function '" + servicePath + "." + name + "'", errors);
        return this;
    }

    /** Adds a router-style handler for one path and method (Go's {@code AddHandler}); checked before services. */
    public Server addHandler(String servicePath, String serviceMethod, Handler handler) {
        registry.addHandler(servicePath, serviceMethod, Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /**
     * Adds or replaces router-style handlers in one step, while serving (Go's {@code UpdateHandler}, used for hot
     * updates): keys are {@code "ServicePath.ServiceMethod"}. A request sees the old handlers or all the new ones.
     *
     * @throws RpcConfigurationException when a key is not {@code ServicePath.ServiceMethod}
     */
    public Server updateHandlers(Map<String, Handler> handlers) {
        registry.updateHandlers(handlers);
        return this;
    }

    /**
     * Tells every plugin that every registered service (and function path) goes away (Go's {@code UnregisterAll}):
     * registries remove this server, so clients stop being sent here. The services are still served until the
     * server closes. Runs once (as Go's, later calls do nothing); {@link #shutdown} and {@link #close()} call it
     * first. Every plugin runs for every service even when some throw.
     *
     * @throws RpcConfigurationException listing the hooks that failed
     */
    public void unregisterAll() {
        if (!unregistered.compareAndSet(false, true)) {
            return;
        }
        List<Throwable> errors = new ArrayList<>();
        if (!plugins.isEmpty()) {
            for (String name : new TreeSet<>(registry.services().keySet())) {
                for (ServerPlugin p : plugins) {
                    try {
                        p.unregister(name);
                    } catch (RuntimeException e) {
                        errors.add(e);
                    }
                }
            }
        }
        throwAll("unregistering services", errors);
    }

    private static void throwAll(String what, List<Throwable> errors) {
        if (errors.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("rpcx: ").append(what).append(": ").append(errors.size())
                .append(errors.size() == 1 ? " plugin hook failed: " : " plugin hooks failed: ");
        for (int i = 0; i < errors.size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(defaultErrorText(errors.get(i)));
        }
        RpcConfigurationException e = new RpcConfigurationException(sb.toString(), errors.get(0));
        errors.forEach(e::addSuppressed);
        throw e;
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
                options.writeTimeout(), options.frameTimeout(), TransportConfig.DEFAULT.connectTimeout(), options.ioThreads(),
                options.tls(), options.tls() != null && options.tlsClientAuth(), null, options.httpGateway(),
                options.jsonRpc(), options.cors(), options.transportOptions()));
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

    /**
     * The open client connections, oldest first (Go's {@code ActiveClientConn}): push to them with
     * {@link #sendMessage}. A snapshot.
     */
    public List<ClientConnection> clientConnections() {
        List<ClientConnection> list = new ArrayList<>(connections.values());
        list.sort(Comparator.comparingLong(ClientConnection::id));
        return list;
    }

    // ---------------------------------------------------------------- server push

    /**
     * Sends a message to a client (Go's {@code SendMessage}): a oneway Request frame with SerializeType none, the
     * next push seq (1, 2, ... per server, as Go), the given path, method and metadata (each may be empty), and
     * {@code data} as the payload. An rpcx client hands it to its server-message handler
     * ({@link ClientOptions#withServerMessageHandler}; Go: {@code NewBidirectionalXClient}'s channel). The
     * {@link ServerPlugin#preWriteRequest} hooks run first (one that throws stops the push, whose future fails with
     * that exception), {@link ServerPlugin#postWriteRequest} once written. A service pushes to its caller with
     * {@code server.sendMessage(ctx.connection(), ...)}.
     *
     * @param connection one of this server's connections ({@link CallContext#connection()},
     *                   {@link #clientConnections()})
     * @return completes (off the I/O threads) once the frame is written; fails with a {@link TransportException}
     *         when the connection is closed
     * @throws IllegalArgumentException when the connection is not one of this server's
     */
    public CompletableFuture<Void> sendMessage(ClientConnection connection, String servicePath, String serviceMethod,
                                               Map<String, String> metadata, byte[] data) {
        Objects.requireNonNull(connection, "connection");
        if (!(connection instanceof ServerConnection sc) || sc.server() != this) {
            throw new IllegalArgumentException("not a connection of this server: " + connection);
        }
        Message push = Message.request(pushSeq.incrementAndGet(), servicePath == null ? "" : servicePath,
                serviceMethod == null ? "" : serviceMethod, SerializeType.NONE, metadata, data).withOneway(true);
        try {
            for (ServerPlugin p : plugins) {
                p.preWriteRequest(sc, push);
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> out = new CompletableFuture<>();
        CompletableFuture<Void> write;
        try {
            write = sc.connection.send(push);
        } catch (RuntimeException e) {
            write = CompletableFuture.failedFuture(e);
        }
        write.whenComplete((v, e) -> {
            Throwable error = e == null ? null : unwrapCompletion(e);
            for (ServerPlugin p : plugins) {
                try {
                    p.postWriteRequest(sc, push, error);
                } catch (RuntimeException x) {
                    hookFailed("postWriteRequest", p, x);
                    break;
                }
            }
            Executors2.callbacks().execute(() -> {
                if (error == null) {
                    out.complete(null);
                } else {
                    out.completeExceptionally(error instanceof RpcException ? error
                            : new TransportException("push to " + connection.remoteAddress() + " not written: " + error, error));
                }
            });
        });
        return out;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Blocks until the server is closed. */
    public void awaitTermination() throws InterruptedException {
        try {
            terminated.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Graceful shutdown (Go's {@code Shutdown}), in Go's order: {@link #unregisterAll()} (registries drop this
     * server), stop accepting, answer requests that still arrive with {@link #SHUTTING_DOWN} (Go stops reading
     * them instead), wait for in-flight calls and their replies (at most {@code timeout}), run the
     * {@link #onShutdown} hooks, then close the connections and transports. The future completes when closed;
     * later calls return the same future.
     */
    public CompletableFuture<Void> shutdown(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        boolean first;
        synchronized (this) {
            first = state == State.RUNNING;
            if (first) {
                state = State.SHUTTING_DOWN;
            }
        }
        if (!first) {
            return terminated;
        }
        LOG.log(System.Logger.Level.INFO, () -> "rpcx: shutdown begin: " + inFlight.get() + " calls in flight, waiting at most "
                + timeout.toMillis() + " ms");
        try {
            unregisterAll();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "rpcx: shutdown: " + e.getMessage());
        }
        for (Bound b : bound) {
            try {
                b.listener().stopAccepting();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "rpcx: shutdown: cannot stop accepting on " + b.network() + ": " + e);
            }
        }
        if (inFlight.get() == 0) {
            drained.complete(null);
        }
        drained.orTimeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((v, e) -> {
                    if (e != null) {
                        drainTimedOut = true;
                        LOG.log(System.Logger.Level.WARNING, "rpcx: shutdown: " + inFlight.get() + " calls still running after "
                                + timeout.toMillis() + " ms; closing anyway");
                    }
                    runShutdownHooks();
                    closeAll();
                    LOG.log(System.Logger.Level.INFO, e == null ? "rpcx: shutdown end: graceful shutdown complete"
                            : "rpcx: shutdown end");
                    // only now: whoever waits for the shutdown (a signal handler about to exit the JVM) sees the end logged
                    terminated.complete(null);
                }, r -> {
                    Thread t = new Thread(r, "rpcx-shutdown"); // never on an I/O thread: closing waits for them
                    t.setDaemon(false);
                    t.start();
                });
        return terminated;
    }

    private void runShutdownHooks() {
        if (!shutdownHooksRun.compareAndSet(false, true)) {
            return;
        }
        for (Runnable hook : shutdownHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "rpcx: an onShutdown hook failed", e);
            }
        }
    }

    /**
     * Shuts this server down gracefully when the JVM is asked to stop: on SIGTERM (what {@code kill},
     * {@code docker stop} and Kubernetes send) and SIGINT (Ctrl-C), {@link #shutdown(Duration) shutdown(timeout)}
     * every server registered this way, wait for them (never longer than {@code timeout} plus 5 s), then
     * {@code System.exit(0)}, or 1 when calls had to be cut off, so other shutdown hooks run as usual. That is
     * what a Go program does with {@code signal.Notify} and {@code Shutdown}; Go rpcx itself no longer handles
     * signals. Any other JVM exit ({@code System.exit}, SIGHUP) runs the same bounded graceful shutdown from a
     * shutdown hook, and the JVM keeps its own exit status.
     *
     * <p>The signals are caught with {@code sun.misc.Signal} of module {@code jdk.unsupported}, by reflection (this
     * module requires only java.base). When that module is not in the runtime (a jlink image without it) or the
     * signal is taken (a JVM started with {@code -Xrs}), only the shutdown hook runs: the shutdown is still
     * graceful, and the JVM exits with 143 after SIGTERM. A later {@code sun.misc.Signal.handle} of the same signal
     * by the application replaces ours.
     */
    public Server shutdownOnSignal(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        ShutdownSignals.register(this, timeout);
        return this;
    }

    /** Completes when the server is closed. */
    CompletableFuture<Void> terminationFuture() {
        return terminated;
    }

    /** Whether a graceful shutdown had to close the server before the in-flight calls finished. */
    boolean drainTimedOut() {
        return drainTimedOut;
    }

    /**
     * Closes listeners and connections at once; running calls lose their connection. Calls
     * {@link #unregisterAll()} first if nothing did (Go: {@code Serve} returns and unregisters). Idempotent.
     */
    @Override
    public void close() {
        if (closeAll()) {
            terminated.complete(null);
        }
    }

    /** Closes connections, transports and the owned executor; false when the server was closed already. */
    private boolean closeAll() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return false;
            }
            state = State.CLOSED;
        }
        try {
            unregisterAll();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "rpcx: close: " + e.getMessage());
        }
        for (Connection c : connections.keySet()) {
            c.close();
        }
        for (Bound b : bound) {
            b.transport().close();
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
        drained.complete(null);
        return true;
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

    private static Throwable unwrapCompletion(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static void hookFailed(String hook, ServerPlugin plugin, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "rpcx: plugin " + plugin.getClass().getName() + "." + hook + " failed: " + e, e);
    }

    private void serviceError(Throwable e) {
        Consumer<Throwable> h = serviceErrorHandler;
        if (h == null) {
            return;
        }
        try {
            h.accept(e);
        } catch (RuntimeException x) {
            LOG.log(System.Logger.Level.WARNING, "rpcx: the service error handler failed", x);
        }
    }

    // ---------------------------------------------------------------- connections

    /** One accepted connection as plugins and services see it. */
    private final class ServerConnection implements ClientConnection {
        final long id;
        final Connection connection;
        /** Requests running or waiting for their reply to be written (backpressure). */
        final AtomicInteger pending = new AtomicInteger();
        /** Credentials were refused: the connection is closing, later frames are dropped. */
        volatile boolean refused;

        ServerConnection(long id, Connection connection) {
            this.id = id;
            this.connection = connection;
        }

        Server server() {
            return Server.this;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public SocketAddress remoteAddress() {
            return connection.remoteAddress();
        }

        @Override
        public SocketAddress localAddress() {
            return connection.localAddress();
        }

        @Override
        public boolean isOpen() {
            return connection.isOpen();
        }

        @Override
        public void close() {
            connection.close();
        }

        @Override
        public String toString() {
            return "ClientConnection[" + id + ", " + formatAddress(connection.remoteAddress()) + "]";
        }
    }

    private final class Inbound implements ConnectionHandler {
        @Override
        public void onOpen(Connection connection) {
            ServerConnection sc = new ServerConnection(connectionIds.incrementAndGet(), connection);
            for (ServerPlugin p : plugins) {
                boolean keep;
                try {
                    keep = p.connectionAccepted(sc);
                } catch (RuntimeException e) {
                    hookFailed("connectionAccepted", p, e);
                    keep = false;
                }
                if (!keep) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: plugin " + p.getClass().getName() + " refused the connection from "
                            + formatAddress(connection.remoteAddress()));
                    connection.close(); // never counted as accepted: no connectionClosed hook, as in Go
                    return;
                }
            }
            connections.put(connection, sc);
            if (state == State.CLOSED) {
                connection.close();
            }
        }

        @Override
        public void onMessage(Connection connection, Message message) {
            ServerConnection sc = connections.get(connection);
            if (sc == null || sc.refused) {
                return; // refused by a plugin or by the auth function: closing
            }
            Message req = message;
            if (!plugins.isEmpty()) {
                try {
                    for (ServerPlugin p : plugins) {
                        p.preReadRequest(sc);
                    }
                    for (ServerPlugin p : plugins) {
                        req = Objects.requireNonNull(p.postReadRequest(sc, req),
                                () -> p.getClass().getName() + ".postReadRequest returned null");
                    }
                } catch (RequestLimitException e) {
                    refuseRequest(sc, req, e);
                    return;
                } catch (RuntimeException e) {
                    Message m = req;
                    LOG.log(System.Logger.Level.WARNING, () -> "rpcx: failed to read request " + m.servicePath() + "."
                            + m.serviceMethod() + " from " + formatAddress(connection.remoteAddress()) + ": " + e + "; closing the connection");
                    serviceError(e);
                    connection.close();
                    return;
                }
            }
            dispatch(sc, req);
        }

        @Override
        public void onError(Connection connection, Throwable error) {
            // the transport has logged the reason already
            LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: closing connection from " + connection.remoteAddress() + ": " + error.getMessage());
            if (connections.containsKey(connection)) {
                serviceError(error);
            }
        }

        @Override
        public void onClose(Connection connection) {
            ServerConnection sc = connections.remove(connection);
            if (sc == null) {
                return; // refused at accept
            }
            LOG.log(System.Logger.Level.INFO, () -> "client has closed this connection: " + formatAddress(connection.remoteAddress()));
            for (ServerPlugin p : plugins) {
                try {
                    p.connectionClosed(sc);
                } catch (RuntimeException e) {
                    hookFailed("connectionClosed", p, e);
                    break;
                }
            }
        }
    }

    /** A read plugin refused one request ({@link RequestLimitException}): an error reply, the connection stays. */
    private void refuseRequest(ServerConnection sc, Message req, RequestLimitException e) {
        CallContext ctx = newContext(sc, req);
        if (req.isOneway()) {
            preWriteResponse(ctx, req, null, e); // Go: only the plugins hear of it
            return;
        }
        send(sc, req, ctx, EMPTY, e, null);
    }

    private CallContext newContext(ServerConnection sc, Message req) {
        String timeout = req.metadata().get(Message.SERVER_TIMEOUT_KEY);
        if (timeout != null) {
            try {
                long ms = Long.parseLong(timeout.trim());
                return new CallContext(req, sc, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms), true);
            } catch (NumberFormatException ignored) {
                // Go ignores an unparsable __ServerTimeout too
            }
        }
        return new CallContext(req, sc, 0, false);
    }

    private void dispatch(ServerConnection sc, Message req) {
        if (req.isResponse()) {
            LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: ignoring a response frame from " + sc.remoteAddress());
            return;
        }
        if (req.isHeartbeat()) {
            for (ServerPlugin p : plugins) {
                try {
                    p.heartbeat(sc, req);
                } catch (RuntimeException e) {
                    hookFailed("heartbeat", p, e);
                    break;
                }
            }
            sc.connection.send(req.withResponse(true)); // echoed verbatim, even when oneway
            return;
        }
        acquire(sc); // before the state check: a shutdown that saw no call in flight never misses this one
        CallContext ctx = newContext(sc, req);
        if (state != State.RUNNING) {
            try {
                if (!req.isOneway()) {
                    send(sc, req, ctx, EMPTY, null, SHUTTING_DOWN);
                }
            } finally {
                release(sc);
            }
            return;
        }
        try {
            executor.execute(() -> process(sc, req, ctx));
        } catch (RejectedExecutionException e) {
            try {
                send(sc, req, ctx, EMPTY, null, "rpcx: server is overloaded or closing");
            } finally {
                release(sc);
            }
        }
    }

    /** Counts a request (or a reply being written) against the server and its connection; pauses reading at the limit. */
    private void acquire(ServerConnection sc) {
        inFlight.incrementAndGet();
        if (sc.pending.incrementAndGet() == options.maxPendingPerConnection()) {
            sc.connection.pauseReading();
        }
    }

    /** The opposite of {@link #acquire}; resumes reading below half the limit and completes a drain. */
    private void release(ServerConnection sc) {
        if (sc.pending.decrementAndGet() == options.maxPendingPerConnection() / 2) {
            sc.connection.resumeReading();
        }
        if (inFlight.decrementAndGet() == 0 && state != State.RUNNING) {
            drained.complete(null);
        }
    }

    // ---------------------------------------------------------------- calls

    private void process(ServerConnection sc, Message req, CallContext ctx) {
        boolean async = false;
        try {
            AuthFunction auth = authFunction;
            if (auth != null && !authenticate(sc, req, ctx, auth)) {
                return;
            }
            for (ServerPlugin p : plugins) {
                try {
                    p.preHandleRequest(ctx, req);
                } catch (RuntimeException e) {
                    hookFailed("preHandleRequest", p, e); // Go ignores its result on the TCP path
                    break;
                }
            }
            if (ctx.isExpired()) {
                reply(sc, req, ctx, null, null, null, new RpcTimeoutException(
                        "rpcx: context deadline exceeded: the request expired before the service started"));
                return;
            }
            ServiceRegistry.Target target = registry.lookup(req.servicePath(), req.serviceMethod());
            if (target instanceof ServiceRegistry.MethodTarget m) {
                async = invoke(sc, req, ctx, m.method());
            } else if (target instanceof ServiceRegistry.HandlerTarget h) {
                runHandler(sc, req, ctx, h.handler());
            } else if (target instanceof ServiceRegistry.NoService n) {
                reply(sc, req, ctx, null, null, null, new ServiceException(n.message()));
            } else if (target instanceof ServiceRegistry.NoMethod n) {
                reply(sc, req, ctx, null, null, null, new ServiceException(n.message()));
            }
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "rpcx: internal error serving " + req.servicePath() + "." + req.serviceMethod(), e);
            reply(sc, req, ctx, null, null, null, e);
        } finally {
            if (!async) {
                release(sc);
            }
        }
    }

    /**
     * Runs the auth function (Go: after the read plugins, before dispatch; heartbeats never get here). On refusal:
     * an error reply, then the connection is closed once it is written.
     */
    private boolean authenticate(ServerConnection sc, Message req, CallContext ctx, AuthFunction auth) {
        String token = req.metadata().getOrDefault(Message.AUTH_KEY, "");
        try {
            ctx.runAsCurrent(() -> {
                auth.authenticate(ctx, req, token);
                return null;
            });
            return true;
        } catch (Exception e) {
            Throwable cause = unwrapCompletion(e);
            sc.refused = true;
            ctx.setResponseMetadata(AUTH_REFUSED_KEY, "true"); // lets our clients throw UnauthenticatedException
            LOG.log(System.Logger.Level.INFO, () -> "auth failed for conn " + formatAddress(sc.remoteAddress()) + ": " + defaultErrorText(cause));
            CompletableFuture<Void> written;
            if (req.isOneway()) {
                preWriteResponse(ctx, req, null, cause); // Go: no reply, the plugins still hear of it
                written = CompletableFuture.completedFuture(null);
            } else {
                written = send(sc, req, ctx, EMPTY, cause, null);
            }
            serviceError(cause);
            written.whenComplete((v, x) -> sc.close());
            return false;
        }
    }

    /** Decodes, calls and replies; returns true when the reply will come later from a CompletionStage. */
    private boolean invoke(ServerConnection sc, Message req, CallContext ctx, ServiceMethod method) {
        Codec codec = codecs.find(req.serializeType());
        if (codec == null) {
            // Go's text, then what to add
            reply(sc, req, ctx, null, null, null, new ServiceException("can not find codec for " + req.serializeType()
                    + Providers.codecAdvice(req.serializeType(), "server")));
            return false;
        }
        Object args;
        try {
            args = codec.decode(codecs.inflatedPayload(req, limits), method.argsType());
        } catch (RpcException e) {
            reply(sc, req, ctx, null, null, null, e);
            return false;
        }
        Object decoded = args != null ? args : codec.zeroValue(method.argsType()); // Go decodes nil into a zero value
        Object callArgs = decoded;
        if (!plugins.isEmpty()) {
            try {
                callArgs = ctx.runAsCurrent(() -> {
                    Object a = decoded;
                    for (ServerPlugin p : plugins) {
                        a = p.preCall(ctx, req.servicePath(), req.serviceMethod(), a);
                    }
                    return a;
                });
            } catch (Exception e) {
                reply(sc, req, ctx, null, null, null, e); // Go: the error reply, without payload
                return false;
            }
        }
        Object finalArgs = callArgs;
        Object result;
        try {
            result = ctx.runAsCurrent(() -> method.invoke(ctx, finalArgs));
        } catch (Exception e) {
            finish(sc, req, ctx, codec, method, finalArgs, null, e);
            return false;
        }
        if (result instanceof CompletionStage<?> stage) {
            stage.whenComplete((value, error) -> {
                try {
                    finish(sc, req, ctx, codec, method, finalArgs, value, error);
                } finally {
                    release(sc);
                }
            });
            return true;
        }
        finish(sc, req, ctx, codec, method, finalArgs, result, null);
        return false;
    }

    /**
     * Runs the postCall hooks and replies. As in Go, a hook may replace the reply but never clears the call's
     * error; a hook that throws stops the others and, when the call succeeded, becomes the call's error.
     */
    private void finish(ServerConnection sc, Message req, CallContext ctx, Codec codec, ServiceMethod method, Object args,
                        Object value, Throwable error) {
        Throwable err = error == null ? null : unwrapCompletion(error);
        Object reply = err == null ? value : null;
        if (!plugins.isEmpty()) {
            Object[] last = {reply};
            Throwable callError = err;
            try {
                ctx.runAsCurrent(() -> {
                    for (ServerPlugin p : plugins) {
                        last[0] = p.postCall(ctx, req.servicePath(), req.serviceMethod(), args, last[0], callError);
                    }
                    return null;
                });
            } catch (Exception e) {
                if (err == null) {
                    err = e;
                } else {
                    LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: a postCall hook failed after the call had failed: " + e);
                }
            }
            reply = last[0];
        }
        if (err != null) {
            reply(sc, req, ctx, codec, method.replyType(), reply, err);
        } else {
            replyValue(sc, req, ctx, codec, reply);
        }
    }

    private void runHandler(ServerConnection sc, Message req, CallContext ctx, Handler h) {
        HandlerContextImpl hc = new HandlerContextImpl(sc, req, ctx);
        try {
            ctx.runAsCurrent(() -> {
                h.handle(hc);
                return null;
            });
            if (hc.written.compareAndSet(false, true)) {
                send(sc, req, ctx, EMPTY, null, null); // a handler that wrote nothing still answers
            }
        } catch (Exception e) {
            if (hc.written.compareAndSet(false, true)) {
                reply(sc, req, ctx, null, null, null, e);
            } else {
                serviceError(unwrapCompletion(e));
            }
        }
    }

    private void replyValue(ServerConnection sc, Message req, CallContext ctx, Codec codec, Object value) {
        if (req.isOneway()) {
            return; // nothing to encode: Go never answers a oneway request
        }
        byte[] payload;
        try {
            payload = codec.encode(value);
        } catch (RuntimeException e) {
            reply(sc, req, ctx, null, null, null, e);
            return;
        }
        send(sc, req, ctx, payload, null, null);
    }

    /**
     * An error reply: the error text in {@code __rpcx_error__}; as payload, for service methods, the reply a
     * postCall hook gave, else the zero reply (as Go); for functions and framework errors, none.
     */
    private void reply(ServerConnection sc, Message req, CallContext ctx, Codec codec, Type replyType, Object replyValue,
                       Throwable error) {
        Throwable cause = unwrapCompletion(error);
        if (serviceErrorHandler != null) {
            serviceError(cause);
        } else if (!(cause instanceof RpcException)) {
            LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: " + req.servicePath() + "." + req.serviceMethod() + " failed", cause);
        }
        if (req.isOneway()) {
            return;
        }
        byte[] payload = EMPTY;
        if (codec != null && replyType != null && replyType != Object.class) {
            try {
                payload = codec.encode(replyValue != null ? replyValue : codec.zeroValue(replyType));
            } catch (RuntimeException e) {
                if (replyValue != null) {
                    cause = e; // Go: the reply that cannot be encoded is the error
                }
                payload = EMPTY;
            }
        }
        send(sc, req, ctx, payload, cause, null);
    }

    /** The text of an error reply: the error function's, else the exception's message (Go's {@code err.Error()}). */
    private String errorText(Message response, Throwable error) {
        BiFunction<Message, Throwable, String> f = errorFunction;
        if (f != null) {
            try {
                String text = f.apply(response, error);
                if (text != null) {
                    return text;
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "rpcx: the error function failed; sending the default text", e);
            }
        }
        return defaultErrorText(error);
    }

    static String defaultErrorText(Throwable e) {
        String m = e.getMessage();
        return m != null && !m.isEmpty() ? m : e.getClass().getName();
    }

    private void preWriteResponse(CallContext ctx, Message req, Message res, Throwable error) {
        for (ServerPlugin p : plugins) {
            try {
                p.preWriteResponse(ctx, req, res, error);
            } catch (RuntimeException e) {
                hookFailed("preWriteResponse", p, e);
                break;
            }
        }
    }

    /**
     * Writes a reply, with the write hooks around it. An error reply takes {@code fixedText} when given, else the
     * text of {@code error}; a normal reply has neither. Returns the write (completed at once for oneway requests,
     * which get no reply).
     */
    private CompletableFuture<Void> send(ServerConnection sc, Message req, CallContext ctx, byte[] payload, Throwable error,
                                         String fixedText) {
        if (req.isOneway()) {
            return CompletableFuture.completedFuture(null); // Go never answers a oneway request, not even with an error
        }
        Map<String, String> meta = ctx.responseMetadata();
        Throwable callError = error != null ? error : fixedText != null ? new ServiceException(fixedText) : null;
        Message res;
        if (callError != null) {
            String text = fixedText != null ? fixedText
                    : errorText(req.toResponse().withError(true).withPayload(payload), error);
            res = errorResponse(req, text, meta, payload);
        } else {
            res = req.toResponse().withMetadata(meta);
        }
        res = codecs.withPayload(res, payload, req.compressType());
        int max = limits.maxMessageLength();
        if (res.payloadLength() > max - 65536 && FrameCodec.prepare(res).totalLength() > max) {
            String text = "rpcx: the reply of " + req.servicePath() + "." + req.serviceMethod() + " (" + res.payloadLength()
                    + " bytes) exceeds the server's maximum message size of " + max + " bytes";
            LOG.log(System.Logger.Level.WARNING, text);
            callError = new ServiceException(text);
            res = errorResponse(req, errorText(req.toResponse().withError(true), callError), meta, EMPTY);
        }
        Message response = res;
        Throwable hookError = callError;
        preWriteResponse(ctx, req, response, hookError);
        acquire(sc); // a graceful shutdown also waits for the reply to be written
        CompletableFuture<Void> write;
        try {
            write = sc.connection.send(response);
        } catch (RuntimeException e) {
            write = CompletableFuture.failedFuture(e); // never leave the reply counted as pending
        }
        // completes, like the write, once the hooks ran and the reply stopped counting as pending
        return write.whenComplete((v, e) -> {
            try {
                if (e != null) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: reply to " + sc.remoteAddress() + " not written: " + e.getMessage());
                }
                Throwable writeError = e == null ? null : unwrapCompletion(e);
                for (ServerPlugin p : plugins) {
                    try {
                        p.postWriteResponse(ctx, req, response, writeError != null ? writeError : hookError);
                    } catch (RuntimeException x) {
                        hookFailed("postWriteResponse", p, x);
                        break;
                    }
                }
            } finally {
                release(sc);
            }
        });
    }

    private static Message errorResponse(Message req, String error, Map<String, String> meta, byte[] payload) {
        Map<String, String> m = new HashMap<>(meta);
        m.put(Message.ERROR_KEY, error);
        return req.toResponse().withError(true).withMetadata(m).withPayload(payload);
    }

    private final class HandlerContextImpl implements HandlerContext {
        private final ServerConnection sc;
        private final Message req;
        private final CallContext ctx;
        private final AtomicBoolean written = new AtomicBoolean();
        private byte[] inflated;

        HandlerContextImpl(ServerConnection sc, Message req, CallContext ctx) {
            this.sc = sc;
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
                send(sc, req, ctx, payload, null, null);
            }
        }

        @Override
        public void writeError(String message) {
            if (written.compareAndSet(false, true)) {
                send(sc, req, ctx, EMPTY, null, message);
            }
        }
    }
}
