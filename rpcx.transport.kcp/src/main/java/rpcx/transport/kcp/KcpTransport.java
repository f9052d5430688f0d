package rpcx.transport.kcp;

import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import rpcx.api.TransportException;
import rpcx.api.spi.Connection;
import rpcx.api.spi.ConnectionHandler;
import rpcx.api.spi.HostPort;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;

/**
 * The {@code kcp} network on Netty datagram channels, as kcp-go's {@code ListenWithOptions} and
 * {@code DialWithOptions}: a listener is one UDP socket whose sessions are told apart by the peer's address (and the
 * conversation id of KCP's first segment); a dial is a UDP socket of its own with a random conversation id.
 *
 * <p>KCP has no handshake, so a dial asks the server for its window (KCP's {@code WASK} probe, which every KCP peer
 * answers, Go's included) and completes when an answer arrives; the server learns of the session from that probe.
 * A listener that stopped accepting answers a new peer with a close notice (see {@link KcpSession}), so a Java
 * client's dial fails at once; a Go client waits for its call to time out, as with a Go server.
 */
final class KcpTransport implements Transport {
    private static final SecureRandom CONV = new SecureRandom();
    /** How long a listener remembers a closed conversation. */
    private static final long TIME_WAIT_MILLIS = 30_000;

    private final TransportConfig config;
    private final Set<KcpSession> sessions = ConcurrentHashMap.newKeySet();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private EventLoopGroup group; // guarded by lock
    private boolean closed; // guarded by lock

    KcpTransport(TransportConfig config) {
        this.config = config;
    }

    private KcpOptions options() {
        return config.option(KcpOptions.class).orElseThrow(() -> new TransportException("kcp needs its options with the "
                + "packet encryption both ends share: ServerOptions/ClientOptions.withTransportOption(KcpOptions.of("
                + "KcpCrypt.aes(key))) (Go: server.WithBlockCrypt, client.Option.Block)"));
    }

    private EventLoopGroup group() {
        synchronized (lock) {
            if (closed) {
                throw new TransportException("the kcp transport is closed");
            }
            if (group == null) {
                int threads = config.ioThreads() > 0 ? config.ioThreads() : 1;
                group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("rpcx-kcp", true),
                        NioIoHandler.newFactory());
            }
            return group;
        }
    }

    static InetSocketAddress address(String network, String address, boolean listen) {
        if (!"kcp".equals(network)) {
            throw new TransportException("unsupported network '" + network + "': rpcx.transport.kcp serves [kcp]");
        }
        return HostPort.resolve(network, address, listen);
    }

    /** What a listen or a dial needs, checked before any socket is opened. */
    private record Setup(InetSocketAddress address, KcpOptions options, EventLoopGroup group) {
    }

    private Setup setup(String network, String address, boolean listen) {
        InetSocketAddress a = address(network, address, listen);
        KcpOptions o = options();
        return new Setup(a, o, group());
    }

    /** Keeps a socket in the set the transport closes, until it closes. */
    private Channel track(Channel ch) {
        channels.add(ch);
        ch.closeFuture().addListener(x -> channels.remove(ch));
        return ch;
    }

    /** UDP sockets with 1 MiB buffers (the kernel may cap them: net.core.rmem_max), so bursts of a window fit. */
    private static Bootstrap bootstrap(EventLoopGroup g) {
        return new Bootstrap().group(g).channel(NioDatagramChannel.class)
                .option(io.netty.channel.ChannelOption.SO_RCVBUF, 1 << 20)
                .option(io.netty.channel.ChannelOption.SO_SNDBUF, 1 << 20);
    }

    /** A datagram's bytes with the crypt layer removed, or null when it does not check out. */
    private static byte[] open(KcpOptions options, DatagramPacket packet) {
        ByteBuf content = packet.content();
        byte[] bytes = ByteBufUtil.getBytes(content);
        if (options.crypt() != null && !options.crypt().open(bytes, bytes.length)) {
            return null;
        }
        return bytes;
    }

    @Override
    public CompletableFuture<Listener> listen(String network, String address, ConnectionHandler handler) {
        CompletableFuture<Listener> result = new CompletableFuture<>();
        Setup setup;
        try {
            setup = setup(network, address, true);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return result;
        }
        ServerSocket server = new ServerSocket(setup.options(), handler);
        bootstrap(setup.group()).handler(server).bind(setup.address()).addListener(f -> {
            if (f.isSuccess()) {
                Channel ch = track(((io.netty.channel.ChannelFuture) f).channel());
                server.channel = ch;
                result.complete(server);
            } else {
                result.completeExceptionally(new TransportException("cannot listen on kcp@" + address + ": " + f.cause(),
                        f.cause()));
            }
        });
        return result;
    }

    /**
     * A listening UDP socket and its sessions by peer address; everything runs on the socket's event loop.
     */
    private final class ServerSocket extends SimpleChannelInboundHandler<DatagramPacket> implements Listener {
        private final KcpOptions options;
        private final ConnectionHandler handler;
        private final Map<InetSocketAddress, KcpSession> byPeer = new HashMap<>();
        /** Conversations closed lately, by peer, with when: their late packets get a close notice, not a session. */
        private final Map<InetSocketAddress, long[]> closedLately = new HashMap<>();
        private final CompletableFuture<Void> unbound = new CompletableFuture<>();
        private volatile boolean accepting = true;
        volatile Channel channel;

        ServerSocket(KcpOptions options, ConnectionHandler handler) {
            this.options = options;
            this.handler = handler;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            byte[] bytes = open(options, packet);
            if (bytes == null) {
                return; // not ours: a wrong key, corruption or a stray datagram
            }
            int at = options.crypt() != null ? KcpCrypt.HEADER : 0;
            int length = bytes.length - at;
            if (length < 6) {
                return;
            }
            int flag = Fec.flag(bytes, at); // a KCP segment has its command (81..84) there: never an FEC flag
            boolean notice = false;
            boolean carriesConv = true;
            int kcpAt = at;
            if (flag == Fec.TYPE_OOB) {
                if (!KcpSession.isCloseNotice(bytes, at, length)) {
                    return; // newer kcp-go's out-of-band data: rpcx uses none
                }
                notice = true;
            } else if (options.dataShards() > 0) {
                if (flag == Fec.TYPE_PARITY) {
                    carriesConv = false;
                } else if (flag == Fec.TYPE_DATA) {
                    kcpAt = at + Fec.HEADER_PLUS_SIZE;
                } else {
                    return; // not a kcp-go FEC packet
                }
            }
            if (carriesConv && !notice && bytes.length - kcpAt < Kcp.OVERHEAD) {
                return;
            }
            int conv = notice ? KcpSession.noticeConv(bytes, at) : carriesConv ? Kcp.le32(bytes, kcpAt) : 0;
            InetSocketAddress peer = packet.sender();
            KcpSession s = byPeer.get(peer);
            long[] gone = s == null ? closedLately.get(peer) : null;
            if (gone != null && carriesConv && (int) gone[0] == conv) {
                if (!notice) {
                    ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(KcpSession.closeNotice(options, conv)), peer));
                }
                return;
            }
            if (s != null) {
                if (!carriesConv || conv == s.conv()) {
                    s.input(bytes, at, length);
                    return;
                }
                if (notice || Kcp.le32(bytes, kcpAt + 12) != 0) {
                    return; // another conversation's stray packet
                }
                s.finish(false); // a new conversation from the same address (sn 0): it replaces the old one, as kcp-go
            }
            if (!carriesConv || notice) {
                return;
            }
            if (!accepting) {
                ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(KcpSession.closeNotice(options, conv)), peer));
                return;
            }
            KcpSession created = new KcpSession(ctx.channel(), peer, conv, options, config, handler, () -> forget(peer));
            byPeer.put(peer, created);
            sessions.add(created);
            created.start();
            created.open();
            created.input(bytes, at, length);
        }

        private void forget(InetSocketAddress peer) {
            KcpSession s = byPeer.remove(peer);
            if (s != null) {
                sessions.remove(s);
                long now = KcpSession.now();
                closedLately.values().removeIf(c -> now - c[1] > TIME_WAIT_MILLIS);
                closedLately.put(peer, new long[] {s.conv(), now});
            }
            if (!accepting && byPeer.isEmpty() && channel != null) {
                channel.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // an ICMP error for one peer (PortUnreachableException) or a bad datagram: the socket serves on
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            for (KcpSession s : new ArrayList<>(byPeer.values())) {
                s.finish(false);
            }
            unbound.complete(null);
        }

        @Override
        public SocketAddress localAddress() {
            return channel.localAddress();
        }

        /**
         * Stops accepting new peers (they get a close notice); sessions already accepted go on over the same UDP
         * socket, which is closed with the last of them. Completes at once.
         */
        @Override
        public CompletableFuture<Void> stopAccepting() {
            accepting = false;
            Channel ch = channel;
            ch.eventLoop().execute(() -> {
                if (byPeer.isEmpty()) {
                    ch.close();
                }
            });
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public String toString() {
            return "kcp listener " + channel.localAddress();
        }
    }

    @Override
    public CompletableFuture<Connection> connect(String network, String address, ConnectionHandler handler) {
        CompletableFuture<Connection> result = new CompletableFuture<>();
        Setup setup;
        try {
            setup = setup(network, address, false);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return result;
        }
        ClientSocket client = new ClientSocket(setup.options(), handler, setup.address(), result, address);
        bootstrap(setup.group()).handler(client).connect(setup.address()).addListener(f -> {
            Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
            if (!f.isSuccess()) {
                result.completeExceptionally(new TransportException("cannot dial kcp@" + address + ": " + f.cause(), f.cause()));
                ch.close();
                return;
            }
            client.dial(track(ch));
        });
        return result;
    }

    /** A dialled UDP socket with its one session; everything runs on the socket's event loop. */
    private final class ClientSocket extends SimpleChannelInboundHandler<DatagramPacket> {
        private final KcpOptions options;
        private final ConnectionHandler handler;
        private final InetSocketAddress remote;
        private final CompletableFuture<Connection> dialled;
        private final String address;
        private KcpSession session;

        ClientSocket(KcpOptions options, ConnectionHandler handler, InetSocketAddress remote,
                     CompletableFuture<Connection> dialled, String address) {
            this.options = options;
            this.handler = handler;
            this.remote = remote;
            this.dialled = dialled;
            this.address = address;
        }

        void dial(Channel ch) {
            ch.eventLoop().execute(() -> {
                int conv = CONV.nextInt();
                session = new KcpSession(ch, remote, conv, options, config, handler, () -> {
                    sessions.remove(session);
                    ch.close();
                });
                sessions.add(session);
                session.start();
                long deadline = KcpSession.now() + Math.max(1, config.connectTimeout().toMillis());
                probe(ch, deadline);
            });
        }

        private void probe(Channel ch, long deadline) {
            if (dialled.isDone() || !session.isOpen()) {
                return;
            }
            if (KcpSession.now() >= deadline) {
                refuse(new TransportException("dialling kcp@" + address + ": no answer within "
                        + config.connectTimeout().toMillis() + " ms (no kcp server there, or another key or FEC setting)"));
                return;
            }
            session.probe();
            ch.eventLoop().schedule(() -> probe(ch, deadline), 100, TimeUnit.MILLISECONDS);
        }

        private void refuse(TransportException error) {
            if (dialled.completeExceptionally(error)) {
                session.finish(false);
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            byte[] bytes = open(options, packet);
            if (bytes == null || session == null) {
                return;
            }
            int at = options.crypt() != null ? KcpCrypt.HEADER : 0;
            if (!dialled.isDone()) {
                if (KcpSession.isCloseNotice(bytes, at, bytes.length - at)) {
                    refuse(new TransportException("kcp@" + address + " refused the connection (not accepting)"));
                    return;
                }
            }
            session.input(bytes, at, bytes.length - at);
            if (!dialled.isDone() && session.heard() && session.isOpen()) {
                session.open();
                dialled.complete(session);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof PortUnreachableException && session != null && !dialled.isDone()) {
                refuse(new TransportException("kcp@" + address + " refused the connection (nothing listens there)", cause));
            }
            // later ICMP errors: KCP retransmits, and gives up after 20 tries
        }
    }

    /** Closes every session (each tells its peer) and socket, then the I/O threads; never waits on a Netty thread. */
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
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (KcpSession s : sessions) {
            s.closeNow();
            closing.add(s.closeFuture());
        }
        boolean mayWait = !(Thread.currentThread() instanceof io.netty.util.concurrent.FastThreadLocalThread);
        if (mayWait) {
            try {
                CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // closed as far as it would
            }
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
        return "kcp transport";
    }
}
