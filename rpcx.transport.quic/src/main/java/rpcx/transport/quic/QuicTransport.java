package rpcx.transport.quic;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLContext;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import rpcx.api.Tls;
import rpcx.api.TransportException;
import rpcx.api.spi.Connection;
import rpcx.api.spi.ConnectionHandler;
import rpcx.api.spi.HostPort;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;

/**
 * QUIC as Go's smallnest/quick maps it: a server accepts QUIC connections and, in each, the streams the client
 * opens (Go accepts one: its client opens exactly one), each stream one rpcx connection; a client opens one QUIC
 * connection from its own UDP socket and one bidirectional stream in it. TLS 1.3 with ALPN {@code rpcx} always;
 * the idle timeout is quic-go's default, 30 s. One event loop thread per transport.
 */
final class QuicTransport implements Transport {
    /** Go's ALPN when none is configured. */
    static final String ALPN = "rpcx";
    /** quic-go's default MaxIdleTimeout. */
    private static final long IDLE_SECONDS = 30;

    private final TransportConfig config;
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    /** Open rpcx connections, accepted and dialled, closed with the transport. */
    private final Set<QuicConnection> connections = ConcurrentHashMap.newKeySet();
    /** Whether each listener still accepts new QUIC connections. */
    private final Set<AtomicBoolean> acceptingFlags = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private EventLoopGroup group; // guarded by lock
    private boolean closed; // guarded by lock

    QuicTransport(TransportConfig config) {
        this.config = config;
    }

    private EventLoopGroup group() {
        synchronized (lock) {
            if (closed) {
                throw new TransportException("the quic transport is closed");
            }
            if (group == null) {
                group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("rpcx-quic", true), NioIoHandler.newFactory());
            }
            return group;
        }
    }

    private static InetSocketAddress address(String network, String address, boolean listen) {
        if (!"quic".equals(network)) {
            throw new TransportException("unsupported network '" + network + "': rpcx.transport.quic serves [quic]");
        }
        return HostPort.resolve(network, address, listen);
    }

    /** The host part of {@code host:port} (brackets of an IPv6 literal removed; empty means localhost). */
    private static String host(String address) {
        String host = address.substring(0, address.lastIndexOf(':'));
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.isEmpty() ? "localhost" : host;
    }

    private QuicSslContext serverTls() {
        SSLContext tls = config.serverTls();
        if (tls == null) {
            throw new TransportException("quic needs TLS: give the server a context (ServerOptions.withTls), as Go's "
                    + "\"TLSConfig must be configured in server.Options\"");
        }
        var keys = Tls.keyManagers(tls).orElseThrow(() -> new TransportException("quic runs its own TLS and needs the "
                + "key material: build the server's context with rpcx.api.Tls.context(keyManagerFactory, trustManagerFactory)"));
        QuicSslContextBuilder b = QuicSslContextBuilder.forServer(keys, null).applicationProtocols(ALPN);
        if (config.tlsClientAuth()) {
            b.clientAuth(ClientAuth.REQUIRE);
            Tls.trustManagers(tls).ifPresent(b::trustManager);
        }
        return b.build();
    }

    private QuicSslContext clientTls() {
        SSLContext tls = config.clientTls();
        QuicSslContextBuilder b = QuicSslContextBuilder.forClient().applicationProtocols(ALPN);
        if (tls == null) {
            // Go's client without a TLSConfig: InsecureSkipVerify (no chain, no host name checked)
            return b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null).build();
        }
        if (!Tls.hasManagers(tls)) {
            throw new TransportException("quic runs its own TLS and needs the trust (and key) managers: build the "
                    + "client's context with rpcx.api.Tls.context(keyManagerFactory, trustManagerFactory)");
        }
        Tls.trustManagers(tls).ifPresent(b::trustManager);
        Tls.keyManagers(tls).ifPresent(k -> b.keyManager(k, null));
        return b.build();
    }

    @Override
    public CompletableFuture<Listener> listen(String network, String address, ConnectionHandler handler) {
        AtomicBoolean accepting = new AtomicBoolean(true);
        acceptingFlags.add(accepting);
        InetSocketAddress local;
        ChannelHandler codec;
        EventLoopGroup g;
        try {
            local = address(network, address, true);
            QuicSslContext tls = serverTls();
            codec = new QuicServerCodecBuilder().sslContext(tls).maxIdleTimeout(IDLE_SECONDS, TimeUnit.SECONDS)
                    .initialMaxData(16L << 20).initialMaxStreamDataBidirectionalLocal(4L << 20)
                    .initialMaxStreamDataBidirectionalRemote(4L << 20).initialMaxStreamsBidirectional(16)
                    .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
                    .handler(new ChannelInitializer<QuicChannel>() {
                        @Override
                        protected void initChannel(QuicChannel quic) {
                            if (!accepting.get()) {
                                quic.close(); // stopped accepting: the handshake of a new connection fails
                            }
                        }
                    })
                    .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                        @Override
                        protected void initChannel(QuicStreamChannel stream) {
                            track(new QuicConnection(stream, handler, () -> { }));
                        }
                    }).build();
            g = group();
        } catch (TransportException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new TransportException("cannot listen on quic@" + address + ": " + e, e));
        }
        CompletableFuture<Listener> result = new CompletableFuture<>();
        new Bootstrap().group(g).channel(NioDatagramChannel.class).handler(codec).bind(local).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new TransportException("cannot listen on quic@" + address + ": " + f.cause(), f.cause()));
                return;
            }
            Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
            channels.add(ch);
            result.complete(new Listener() {
                @Override
                public SocketAddress localAddress() {
                    return ch.localAddress();
                }

                /** New QUIC connections are refused; the accepted ones go on on the same UDP socket. */
                @Override
                public CompletableFuture<Void> stopAccepting() {
                    accepting.set(false);
                    return CompletableFuture.completedFuture(null);
                }
            });
        });
        return result;
    }

    @Override
    public CompletableFuture<Connection> connect(String network, String address, ConnectionHandler handler) {
        InetSocketAddress remote;
        ChannelHandler codec;
        EventLoopGroup g;
        try {
            remote = address(network, address, false);
            QuicSslContext tls = clientTls();
            // the server's certificate is checked against the host as dialled, as Go checks ServerName
            String host = host(address);
            int port = remote.getPort();
            codec = new QuicClientCodecBuilder().sslContext(tls).sslEngineProvider(q -> tls.newEngine(q.alloc(), host, port))
                    .maxIdleTimeout(IDLE_SECONDS, TimeUnit.SECONDS)
                    .initialMaxData(16L << 20).initialMaxStreamDataBidirectionalLocal(4L << 20)
                    .initialMaxStreamDataBidirectionalRemote(4L << 20).build();
            g = group();
        } catch (TransportException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new TransportException("cannot connect to quic@" + address + ": " + e, e));
        }
        CompletableFuture<Connection> result = new CompletableFuture<>();
        long timeout = Math.max(1, config.connectTimeout().toMillis());
        new Bootstrap().group(g).channel(NioDatagramChannel.class).handler(codec)
                .bind(new InetSocketAddress(remote.getAddress() instanceof java.net.Inet6Address ? "::" : "0.0.0.0", 0))
                .addListener(bound -> {
                    if (!bound.isSuccess()) {
                        result.completeExceptionally(new TransportException("cannot open a UDP socket for quic@" + address
                                + ": " + bound.cause(), bound.cause()));
                        return;
                    }
                    Channel udp = ((io.netty.channel.ChannelFuture) bound).channel();
                    channels.add(udp);
                    udp.closeFuture().addListener(x -> channels.remove(udp));
                    var timer = udp.eventLoop().schedule(() -> {
                        if (result.completeExceptionally(new TransportException("cannot connect to quic@" + address
                                + ": no answer within " + timeout + " ms (connect timeout)"))) {
                            udp.close();
                        }
                    }, timeout, TimeUnit.MILLISECONDS);
                    QuicChannel.newBootstrap(udp).handler(new io.netty.channel.ChannelInboundHandlerAdapter())
                            .streamHandler(new io.netty.channel.ChannelInboundHandlerAdapter())
                            .remoteAddress(remote).connect().addListener(connected -> {
                                if (!connected.isSuccess()) {
                                    timer.cancel(false);
                                    if (result.completeExceptionally(new TransportException("cannot connect to quic@" + address
                                            + ": " + connected.cause(), connected.cause()))) {
                                        udp.close();
                                    }
                                    return;
                                }
                                QuicChannel quic = (QuicChannel) connected.getNow();
                                QuicConnection[] made = new QuicConnection[1];
                                quic.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
                                    @Override
                                    protected void initChannel(QuicStreamChannel stream) {
                                        made[0] = track(new QuicConnection(stream, handler, udp::close));
                                    }
                                }).addListener(created -> {
                                    timer.cancel(false);
                                    if (created.isSuccess()) {
                                        if (!result.complete(made[0])) {
                                            made[0].close();
                                        }
                                    } else if (result.completeExceptionally(new TransportException("cannot open a stream to quic@"
                                            + address + ": " + created.cause(), created.cause()))) {
                                        udp.close();
                                    }
                                });
                            });
                });
        return result;
    }

    private QuicConnection track(QuicConnection c) {
        connections.add(c);
        c.closeFuture().whenComplete((x, e) -> connections.remove(c));
        c.install(config);
        return c;
    }

    /**
     * Closes every connection (each sends QUIC's CONNECTION_CLOSE, so peers learn of it at once) and waits a little
     * for that, then the UDP sockets and the thread; never waits when called on a Netty thread.
     */
    @Override
    public void close() {
        EventLoopGroup g;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            g = group;
        }
        acceptingFlags.forEach(a -> a.set(false));
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (QuicConnection c : connections) {
            c.close();
            closing.add(c.closeFuture());
        }
        // never wait on a Netty thread: the closes it would wait for may need that very thread
        boolean mayWait = !(Thread.currentThread() instanceof io.netty.util.concurrent.FastThreadLocalThread);
        try {
            if (mayWait) {
                CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // closed as far as it would
        }
        for (Channel ch : channels) {
            ch.close();
        }
        if (g != null) {
            io.netty.util.concurrent.Future<?> down = g.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            if (mayWait) {
                down.awaitUninterruptibly(3, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public String toString() {
        return "quic transport";
    }
}
