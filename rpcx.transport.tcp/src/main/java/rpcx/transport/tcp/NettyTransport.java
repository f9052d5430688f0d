package rpcx.transport.tcp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.Future;
import rpcx.api.TransportException;
import rpcx.api.spi.Connection;
import rpcx.api.spi.ConnectionHandler;
import rpcx.api.spi.Listener;
import rpcx.api.spi.TcpKeepAlive;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;

/**
 * A {@link Transport} on Netty, for one {@link IoKind}.
 *
 * <p><b>Threads.</b> Server side: the first {@link #listen} creates this transport's own boss group (one thread)
 * and worker group ({@link TransportConfig#ioThreads()}, or twice the number of cores when 0); all its listeners
 * share them. Client side: connections run on the {@link SharedClientGroup} of the kind, shared by every client
 * transport of the provider; this transport holds a reference from its first {@link #connect} until it is closed.
 * All threads are daemon threads. Host names are resolved on a small daemon thread pool, never on an event loop;
 * IP literals are parsed in place.
 *
 * <p><b>Pipeline</b> (head to tail): [{@link IdleStateHandler} when readIdleTimeout &gt; 0],
 * [{@link WriteTimeoutHandler} when writeTimeout &gt; 0], [{@link SslHandler} when dialling with
 * {@link TransportConfig#clientTls()}], {@link FrameDecoder}, {@link FrameEncoder}, {@link ConnectionBridge}. A
 * server on {@code tcp}/{@code tcp4}/{@code tcp6} with TLS, the HTTP gateway or JSON-RPC on
 * ({@link TransportConfig#multiProtocol()}) has a {@link ProtocolSniffer} in place of decoder and encoder, which
 * installs the rpcx, TLS or HTTP handlers once the first bytes are in (unix sockets never do: Go serves neither TLS
 * nor HTTP there). Sockets get {@code TCP_NODELAY} and {@code SO_KEEPALIVE} (with Go's keep-alive periods: 3 minutes
 * for accepted, 1 minute for dialled connections, or the {@link TcpKeepAlive} transport option's).
 *
 * <p><b>TLS client.</b> The handshake is part of {@link #connect}: its future completes once the handshake is done,
 * within the connect timeout (as Go's {@code tls.DialWithDialer}), and the handler's {@code onOpen} comes after it.
 * The server certificate is verified with the context's trust managers and the dialled host name (endpoint
 * identification {@code HTTPS}, as Go verifies {@code ServerName}); host names are sent as SNI.
 */
final class NettyTransport implements Transport {
    private static final System.Logger LOG = System.getLogger("rpcx.transport.tcp");
    /** Resolves host names off the event loops; its threads die when idle. */
    private static final ExecutorService RESOLVER = resolverPool();

    private final IoKind kind;
    private final TransportConfig config;
    private final Object lock = new Object();
    private final Set<NettyListener> listeners = ConcurrentHashMap.newKeySet();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private EventLoopGroup clientGroup;
    private volatile boolean closed;

    private static ExecutorService resolverPool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("rpcx-tcp-resolver", true));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    NettyTransport(IoKind kind, TransportConfig config) {
        this.kind = kind;
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The kind of I/O (for tests). */
    IoKind kind() {
        return kind;
    }

    @Override
    public CompletableFuture<Listener> listen(String network, String address, ConnectionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        Endpoint endpoint;
        try {
            endpoint = Endpoint.parse(network, address);
        } catch (TransportException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (endpoint.network().equals("wss") && config.serverTls() == null) {
            return CompletableFuture.failedFuture(new TransportException("cannot listen on " + endpoint
                    + ": wss needs TLS (ServerOptions.withTls), as Go's \"must set tlsconfig for wss\""));
        }
        return resolve(endpoint, true).thenCompose(local -> bind(endpoint, local, handler));
    }

    private CompletableFuture<Listener> bind(Endpoint endpoint, SocketAddress local, ConnectionHandler handler) {
        if (endpoint.isUnix() && Files.exists(Path.of(endpoint.path()), LinkOption.NOFOLLOW_LINKS)) {
            // as Go: never take over (or unlink) an existing socket file; epoll's bind would replace it silently
            return CompletableFuture.failedFuture(new TransportException("cannot listen on " + endpoint
                    + ": address already in use (the file exists; remove a stale socket file first)"));
        }
        EventLoopGroup b;
        EventLoopGroup w;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedError());
            }
            if (boss == null) {
                int threads = config.ioThreads() > 0 ? config.ioThreads() : 2 * Runtime.getRuntime().availableProcessors();
                boss = kind.newGroup(1, "rpcx-tcp-accept-" + kind.name());
                workers = kind.newGroup(threads, "rpcx-tcp-io-" + kind.name());
            }
            b = boss;
            w = workers;
        }
        boolean emulateV6Only = endpoint.family() == 6 && !kind.nativeV6Only();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(b, w)
                .channelFactory(() -> kind.newServerChannel(endpoint))
                .childHandler(new Setup(endpoint, handler, emulateV6Only, true));
        if (!endpoint.isUnix()) {
            bootstrap.option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true);
        }
        kind.serverOptions(bootstrap, endpoint);
        CompletableFuture<Listener> result = new CompletableFuture<>();
        ChannelFuture bound;
        try {
            bound = bootstrap.bind(local);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new TransportException("cannot listen on " + endpoint + ": " + e, e));
        }
        bound.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new TransportException("cannot listen on " + endpoint + ": " + describe(f.cause()), f.cause()));
                return;
            }
            NettyListener listener = new NettyListener(bound.channel(), endpoint);
            listeners.add(listener);
            bound.channel().closeFuture().addListener(x -> listeners.remove(listener));
            if (closed) {
                listener.stopAccepting();
                result.completeExceptionally(closedError());
            } else {
                result.complete(listener);
            }
        });
        return result;
    }

    @Override
    public CompletableFuture<Connection> connect(String network, String address, ConnectionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        Endpoint endpoint;
        EventLoopGroup group;
        try {
            endpoint = Endpoint.parse(network, address);
            group = clientGroup();
        } catch (TransportException e) {
            return CompletableFuture.failedFuture(e);
        }
        return resolve(endpoint, false).thenCompose(remote -> dial(group, endpoint, remote, handler));
    }

    private EventLoopGroup clientGroup() {
        synchronized (lock) {
            if (closed) {
                throw closedError();
            }
            if (clientGroup == null) {
                clientGroup = kind.clientGroup().acquire();
            }
            return clientGroup;
        }
    }

    private CompletableFuture<Connection> dial(EventLoopGroup group, Endpoint endpoint, SocketAddress remote, ConnectionHandler handler) {
        if (closed) {
            return CompletableFuture.failedFuture(closedError());
        }
        Duration timeout = config.connectTimeout();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channelFactory(() -> kind.newClientChannel(endpoint, remote))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new Setup(endpoint, handler, false, false));
        if (!endpoint.isUnix()) {
            bootstrap.option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_KEEPALIVE, true);
        }
        kind.clientOptions(bootstrap, endpoint, config.option(TcpKeepAlive.class).orElse(TcpKeepAlive.GO_DEFAULT).period());
        CompletableFuture<Connection> result = new CompletableFuture<>();
        ChannelFuture connected;
        try {
            connected = bootstrap.connect(remote);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new TransportException("cannot connect to " + endpoint + ": " + e, e));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        connected.addListener(f -> {
            if (f.isSuccess()) {
                Channel ch = connected.channel();
                NettyConnection connection = ch.attr(NettyConnection.KEY).get();
                SslHandler ssl = ch.pipeline().get(SslHandler.class);
                if (endpoint.tunnel()) {
                    awaitTunnel(ch, connection, ssl, endpoint, deadline, timeout, result);
                    return;
                }
                if (ssl == null) {
                    result.complete(connection);
                    return;
                }
                // runs before channelActive starts the handshake: connect and handshake share the connect timeout
                ssl.setHandshakeTimeoutMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                ssl.handshakeFuture().addListener(h -> {
                    if (h.isSuccess()) {
                        ch.eventLoop().execute(() -> result.complete(connection)); // after the handler's onOpen
                    } else {
                        result.completeExceptionally(new TransportException("TLS handshake with " + endpoint + " failed: "
                                + describe(h.cause()), h.cause()));
                        ch.close();
                    }
                });
            } else if (f.cause() instanceof ConnectTimeoutException) {
                result.completeExceptionally(new TransportException("cannot connect to " + endpoint + ": no answer within "
                        + timeout.toMillis() + " ms (connect timeout)", f.cause()));
            } else {
                result.completeExceptionally(new TransportException("cannot connect to " + endpoint + ": " + describe(f.cause()), f.cause()));
            }
        });
        return result;
    }

    /**
     * A dialled tunnel ({@code http}, {@code ws}, {@code wss}) is ready when the bridge opens it: after TLS, if any,
     * and the CONNECT answer or the WebSocket handshake, all within the connect timeout.
     */
    private static void awaitTunnel(Channel ch, NettyConnection connection, SslHandler ssl, Endpoint endpoint, long deadline,
                                    Duration timeout, CompletableFuture<Connection> result) {
        long left = Math.max(1, deadline - System.nanoTime());
        if (ssl != null) {
            ssl.setHandshakeTimeoutMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        io.netty.util.concurrent.ScheduledFuture<?> timer = ch.eventLoop().schedule(() -> {
            if (result.completeExceptionally(new TransportException("cannot connect to " + endpoint + ": the "
                    + (endpoint.webSocket() ? "WebSocket handshake" : "CONNECT " + Tunnels.PATH) + " was not answered within "
                    + timeout.toMillis() + " ms (connect timeout)"))) {
                ch.close();
            }
        }, left, TimeUnit.NANOSECONDS);
        connection.opened.whenComplete((ok, error) -> {
            timer.cancel(false);
            if (error == null) {
                result.complete(connection);
            } else if (result.completeExceptionally(error instanceof TransportException ? error
                    : new TransportException("cannot connect to " + endpoint + ": " + describe(error), error))) {
                ch.close();
            }
        });
    }

    private static String describe(Throwable t) {
        return t == null ? "unknown error" : t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /**
     * The socket address of an endpoint: the socket path for unix; for IP networks an IP literal as is, no host
     * as the wildcard (listen) or loopback (dial) address of the network's family, and a host name looked up on
     * the resolver pool.
     */
    private CompletableFuture<SocketAddress> resolve(Endpoint endpoint, boolean listen) {
        if (endpoint.isUnix()) {
            return CompletableFuture.completedFuture(kind.unixAddress(endpoint.path()));
        }
        try {
            if (endpoint.host().isEmpty()) {
                return CompletableFuture.completedFuture(listen ? wildcard(endpoint) : loopback(endpoint));
            }
            if (endpoint.hostIsIpv6Literal() || NetUtil.isValidIpV4Address(endpoint.host())) {
                // a literal: parsed without any lookup
                return CompletableFuture.completedFuture(new InetSocketAddress(checkFamily(endpoint, InetAddress.getByName(endpoint.host())), endpoint.port()));
            }
        } catch (UnknownHostException e) {
            return CompletableFuture.failedFuture(new TransportException("invalid IP address in " + endpoint + ": " + e.getMessage(), e));
        } catch (TransportException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<SocketAddress> result = new CompletableFuture<>();
        try {
            RESOLVER.execute(() -> {
                try {
                    result.complete(new InetSocketAddress(lookup(endpoint), endpoint.port()));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(new TransportException("cannot resolve " + endpoint + ": " + e, e));
        }
        return result;
    }

    private static InetAddress lookup(Endpoint endpoint) {
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(endpoint.host());
        } catch (UnknownHostException e) {
            throw new TransportException("cannot resolve host '" + endpoint.host() + "' of " + endpoint, e);
        }
        for (InetAddress a : all) {
            if (endpoint.family() == 0 || (endpoint.family() == 4) == (a instanceof Inet4Address)) {
                return a;
            }
        }
        throw new TransportException("host '" + endpoint.host() + "' of " + endpoint + " has no IPv" + endpoint.family() + " address");
    }

    private static InetAddress checkFamily(Endpoint endpoint, InetAddress a) {
        if (endpoint.family() == 4 && !(a instanceof Inet4Address)) {
            throw new TransportException(endpoint + ": tcp4 needs an IPv4 address");
        }
        if (endpoint.family() == 6 && !(a instanceof Inet6Address)) {
            throw new TransportException(endpoint + ": tcp6 needs an IPv6 address");
        }
        return a;
    }

    private static SocketAddress wildcard(Endpoint endpoint) throws UnknownHostException {
        return switch (endpoint.family()) {
            case 4 -> new InetSocketAddress(InetAddress.getByAddress(new byte[4]), endpoint.port());
            case 6 -> new InetSocketAddress(InetAddress.getByAddress(new byte[16]), endpoint.port());
            default -> new InetSocketAddress(endpoint.port());
        };
    }

    private static SocketAddress loopback(Endpoint endpoint) throws UnknownHostException {
        return switch (endpoint.family()) {
            case 4 -> new InetSocketAddress(InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}), endpoint.port());
            case 6 -> new InetSocketAddress(InetAddress.getByAddress("localhost", NetUtil.LOCALHOST6.getAddress()), endpoint.port());
            default -> new InetSocketAddress(InetAddress.getLoopbackAddress(), endpoint.port());
        };
    }

    private static TransportException closedError() {
        return new TransportException("the tcp transport is closed");
    }

    /**
     * Closes listeners, then connections, then releases the threads: the server groups shut down at once (no quiet
     * period), the shared client group when its last user closes. Waits (up to a few seconds) for all that unless
     * called on a Netty thread, where waiting could block an event loop.
     */
    @Override
    public void close() {
        EventLoopGroup b;
        EventLoopGroup w;
        EventLoopGroup c;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            b = boss;
            w = workers;
            c = clientGroup;
        }
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (NettyListener l : listeners) {
            pending.add(l.stopAccepting());
        }
        for (Channel ch : channels) {
            NettyConnection conn = ch.attr(NettyConnection.KEY).get();
            if (conn != null && ch.isActive()) {
                conn.close();
                pending.add(conn.closeFuture());
            } else { // never active (a failed dial): no channelInactive will ever complete conn.closeFuture()
                pending.add(completion(ch.close()));
            }
        }
        boolean mayWait = !(Thread.currentThread() instanceof FastThreadLocalThread);
        if (mayWait) {
            awaitAll(pending, 2000);
        }
        pending.clear();
        if (c != null) {
            kind.clientGroup().release(c);
        }
        if (b != null) {
            pending.add(completion(b.shutdownGracefully(0, 2, TimeUnit.SECONDS)));
            pending.add(completion(w.shutdownGracefully(0, 2, TimeUnit.SECONDS)));
            if (mayWait) {
                awaitAll(pending, 3000);
            }
        }
    }

    private static CompletableFuture<Void> completion(Future<?> future) {
        CompletableFuture<Void> cf = new CompletableFuture<>();
        future.addListener(f -> cf.complete(null));
        return cf;
    }

    private static void awaitAll(List<CompletableFuture<?>> futures, long millis) {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "tcp transport close: not everything closed within " + millis + " ms: " + e);
        }
    }

    /** Builds the pipeline of every accepted or dialled channel. */
    private final class Setup extends ChannelInitializer<Channel> {
        private final Endpoint endpoint;
        private final ConnectionHandler handler;
        private final boolean rejectIpv4;
        private final boolean server;

        Setup(Endpoint endpoint, ConnectionHandler handler, boolean rejectIpv4, boolean server) {
            this.endpoint = endpoint;
            this.handler = handler;
            this.rejectIpv4 = rejectIpv4;
            this.server = server;
        }

        @Override
        protected void initChannel(Channel ch) {
            channels.add(ch);
            ch.closeFuture().addListener(f -> channels.remove(ch));
            if (closed) {
                ch.close();
                return;
            }
            if (rejectIpv4 && ch.remoteAddress() instanceof InetSocketAddress isa && isa.getAddress() instanceof Inet4Address) {
                LOG.log(System.Logger.Level.DEBUG, () -> endpoint + " is IPv6-only: closing IPv4 connection from " + isa);
                ch.close();
                return;
            }
            boolean sniff = server && !endpoint.isUnix() && (config.multiProtocol() || endpoint.tunnel());
            boolean tunnel = !server && endpoint.tunnel();
            boolean tls = !server && !endpoint.isUnix() && (config.clientTls() != null || endpoint.network().equals("wss"));
            NettyConnection connection = new NettyConnection(ch, handler, endpoint, kind.name(), config.limits().maxMessageLength(),
                    sniff || tunnel ? NettyConnection.Mode.PENDING : NettyConnection.Mode.RPCX);
            ch.attr(NettyConnection.KEY).set(connection);
            ChannelPipeline p = ch.pipeline();
            if (!config.readIdleTimeout().isZero()) {
                p.addLast("idle", new IdleStateHandler(config.readIdleTimeout().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
            }
            if (!config.writeTimeout().isZero()) {
                p.addLast("writeTimeout", new WriteTimeoutHandler(config.writeTimeout().toNanos(), TimeUnit.NANOSECONDS));
            }
            if (tls) {
                p.addLast("tls", clientTls(endpoint));
            }
            if (sniff) {
                p.addLast("sniff", new ProtocolSniffer(connection, config, false));
            } else if (tunnel && endpoint.webSocket()) {
                Tunnels.installWebSocketClient(p, connection, config, endpoint);
            } else {
                if (tunnel) {
                    p.addLast("connect", new Tunnels.HttpConnectClient(connection));
                }
                p.addLast("decoder", new FrameDecoder(connection, config.limits(), config.frameTimeout()));
                p.addLast("encoder", FrameEncoder.INSTANCE);
            }
            p.addLast("bridge", new ConnectionBridge(connection, config.readIdleTimeout(), config.writeTimeout(), tls, tunnel));
        }

        /** A client-mode TLS handler verifying the server's certificate against the dialled host name. */
        private SslHandler clientTls(Endpoint endpoint) {
            String host = endpoint.host().isEmpty() ? "localhost" : endpoint.host();
            SSLContext context;
            try { // wss with no TLS configured: the JVM's default trust, as Go's websocket.Dial uses the system roots
                context = config.clientTls() != null ? config.clientTls() : SSLContext.getDefault();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new TransportException("no default TLS context for " + endpoint + ": " + e.getMessage(), e);
            }
            SSLEngine engine = context.createSSLEngine(host, endpoint.port());
            engine.setUseClientMode(true);
            SSLParameters params = engine.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(params);
            SslHandler ssl = new SslHandler(engine);
            ssl.setHandshakeTimeoutMillis(Math.max(1, config.connectTimeout().toMillis()));
            return ssl;
        }
    }

    /** The transport's kind and state, e.g. {@code tcp transport (epoll)}. */
    @Override
    public String toString() {
        return "tcp transport (" + kind.name() + (closed ? ", closed" : "") + ")";
    }
}
