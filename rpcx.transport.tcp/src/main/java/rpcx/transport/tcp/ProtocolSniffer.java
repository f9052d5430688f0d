package rpcx.transport.tcp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLEngine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import rpcx.api.TransportException;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.ProtocolException;
import rpcx.api.spi.TransportConfig;

/**
 * Looks at the first bytes of an accepted connection, without consuming them, and installs the pipeline of its
 * protocol in its own place (Go's cmux, {@code server/gateway.go}):
 *
 * <ul>
 *   <li>{@code 0x16} (a TLS handshake record) when {@link TransportConfig#serverTls()} is set: an {@link SslHandler}
 *       (JDK provider; client certificates required with {@link TransportConfig#tlsClientAuth()}), followed by a
 *       second sniffer that looks at the decrypted bytes. Anything else is refused when TLS is set, as Go's TLS
 *       listener refuses it (a plaintext HTTP request gets Go's {@code 400 Client sent an HTTP request to an HTTPS
 *       server} first).</li>
 *   <li>{@code 0x08} (the rpcx magic number): {@link FrameDecoder} and {@link FrameEncoder}, as a plain listener.</li>
 *   <li>{@code CONNECT /_rpcx_} (network {@code http}): Go's {@code 200 Connected to rpcx}, then the rpcx frame
 *       pipeline; {@code GET /_rpcx_} (networks {@code ws}, {@code wss}): the WebSocket pipeline of {@link Tunnels}.
 *       Always, whatever the gateway settings: they are rpcx, not the gateway.</li>
 *   <li>An HTTP/1 method and a space ({@code GET }, {@code POST }, ...) when the HTTP gateway or JSON-RPC is on:
 *       {@link HttpExchangeHandler#install the HTTP pipeline}.</li>
 *   <li>Anything else: the rpcx frame pipeline, whose decoder refuses the bytes with its usual
 *       {@link ProtocolException} (wrong magic number) and closes the connection.</li>
 * </ul>
 *
 * The remaining bytes flow on to the installed handlers when this decoder removes itself. A peer that sends a
 * partial HTTP method and then nothing is closed after the frame timeout.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {
    private static final System.Logger LOG = System.getLogger("rpcx.transport.tcp");
    private static final byte TLS_HANDSHAKE = 0x16;
    /** The methods cmux's {@code HTTP1Fast} matches, each followed by a space. */
    private static final byte[][] METHODS = methods("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH",
            "CONNECT", "TRACE");
    private static final byte[] PLAINTEXT_TO_TLS = ("HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: 48\r\nConnection: close\r\n\r\nClient sent an HTTP request to an HTTPS server.\n")
            .getBytes(StandardCharsets.US_ASCII);

    private enum Verdict { HTTP, NOT_HTTP, NEED_MORE }

    private final NettyConnection connection;
    private final TransportConfig config;
    private final boolean insideTls;
    private ScheduledFuture<?> timer;
    private boolean done;

    ProtocolSniffer(NettyConnection connection, TransportConfig config, boolean insideTls) {
        this.connection = connection;
        this.config = config;
        this.insideTls = insideTls;
    }

    private static byte[][] methods(String... names) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = (names[i] + " ").getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }

    private boolean httpOn() {
        return config.httpGateway() || config.jsonRpc();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!in.isReadable()) {
            return;
        }
        byte first = in.getByte(in.readerIndex());
        if (!insideTls && config.serverTls() != null) {
            if (first == TLS_HANDSHAKE) {
                installTls(ctx);
                return;
            }
            Verdict v = first == Message.MAGIC ? Verdict.NOT_HTTP : httpMethod(in);
            if (v == Verdict.NEED_MORE) {
                awaitMore(ctx);
                return;
            }
            refusePlaintext(ctx, in, v == Verdict.HTTP);
            return;
        }
        if (first != Message.MAGIC) {
            switch (Tunnels.ask(in)) {
                case NEED_MORE -> {
                    awaitMore(ctx);
                    return;
                }
                case CONNECT -> {
                    acceptConnect(ctx, in);
                    return;
                }
                case WEBSOCKET -> {
                    finish(ctx);
                    Tunnels.installWebSocketServer(ctx.pipeline(), ctx.name(), connection, config);
                    ctx.pipeline().remove(this);
                    return;
                }
                default -> {
                    // another request: the gateway's, when it is on
                }
            }
        }
        if (first != Message.MAGIC && httpOn()) {
            Verdict v = httpMethod(in);
            if (v == Verdict.NEED_MORE) {
                awaitMore(ctx);
                return;
            }
            if (v == Verdict.HTTP) {
                finish(ctx);
                HttpExchangeHandler.install(ctx.pipeline(), ctx.name(), connection, config);
                ctx.pipeline().remove(this);
                return;
            }
        }
        installRpcx(ctx);
    }

    private void installRpcx(ChannelHandlerContext ctx) {
        finish(ctx);
        ChannelPipeline p = ctx.pipeline();
        p.addAfter(ctx.name(), "decoder", new FrameDecoder(connection, config.limits(), config.frameTimeout()));
        p.addAfter("decoder", "encoder", FrameEncoder.INSTANCE);
        connection.decide(NettyConnection.Mode.RPCX, null);
        p.remove(this);
    }

    /**
     * Go's {@code ServeHTTP}: a {@code CONNECT /_rpcx_} request (its head read whole) is answered
     * {@code HTTP/1.0 200 Connected to rpcx\n\n}, and the rest of the stream carries rpcx frames.
     */
    private void acceptConnect(ChannelHandlerContext ctx, ByteBuf in) {
        int head = Tunnels.headLength(in);
        if (head < 0) {
            if (in.readableBytes() > Tunnels.MAX_HEAD) {
                finish(ctx);
                in.skipBytes(in.readableBytes());
                ctx.fireExceptionCaught(new ProtocolException("a CONNECT " + Tunnels.PATH + " request head longer than "
                        + Tunnels.MAX_HEAD + " bytes"));
            } else {
                awaitMore(ctx);
            }
            return;
        }
        in.skipBytes(head);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(Tunnels.CONNECT_RESPONSE));
        installRpcx(ctx);
    }

    /** Whether the bytes so far start with an HTTP/1 method and a space. */
    private static Verdict httpMethod(ByteBuf in) {
        int n = in.readableBytes();
        int start = in.readerIndex();
        boolean maybe = false;
        for (byte[] m : METHODS) {
            int k = Math.min(n, m.length);
            boolean prefix = true;
            for (int i = 0; i < k; i++) {
                if (in.getByte(start + i) != m[i]) {
                    prefix = false;
                    break;
                }
            }
            if (prefix) {
                if (n >= m.length) {
                    return Verdict.HTTP;
                }
                maybe = true;
            }
        }
        return maybe ? Verdict.NEED_MORE : Verdict.NOT_HTTP;
    }

    private void installTls(ChannelHandlerContext ctx) {
        finish(ctx);
        SSLEngine engine = config.serverTls().createSSLEngine();
        engine.setUseClientMode(false);
        if (config.tlsClientAuth()) {
            engine.setNeedClientAuth(true);
        }
        SslHandler ssl = new SslHandler(engine);
        Duration timeout = config.frameTimeout().isZero() ? Duration.ofSeconds(10) : config.frameTimeout();
        ssl.setHandshakeTimeoutMillis(Math.max(1, timeout.toMillis()));
        ChannelPipeline p = ctx.pipeline();
        p.addAfter(ctx.name(), "tls", ssl);
        p.addAfter("tls", "sniffTls", new ProtocolSniffer(connection, config, true));
        p.remove(this);
    }

    private void refusePlaintext(ChannelHandlerContext ctx, ByteBuf in, boolean http) {
        finish(ctx);
        String what = http ? "a plaintext HTTP request"
                : in.getByte(in.readerIndex()) == Message.MAGIC ? "a plaintext rpcx frame" : "plaintext bytes";
        in.skipBytes(in.readableBytes());
        ProtocolException error = new ProtocolException("this listener accepts TLS connections only; refusing " + what);
        if (http) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(PLAINTEXT_TO_TLS)).addListener(f -> ctx.fireExceptionCaught(error));
        } else {
            ctx.fireExceptionCaught(error);
        }
    }

    private void awaitMore(ChannelHandlerContext ctx) {
        if (timer != null || config.frameTimeout().isZero()) {
            return;
        }
        timer = ctx.executor().schedule(() -> {
            timer = null;
            if (!done && ctx.channel().isActive()) {
                done = true;
                LOG.log(System.Logger.Level.DEBUG, () -> "no protocol recognised on " + connection + " in time");
                ctx.fireExceptionCaught(new TransportException("the peer began a request and did not finish its first "
                        + "bytes within " + config.frameTimeout().toMillis() + " ms: slow or stalled peer"));
            }
        }, config.frameTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void finish(ChannelHandlerContext ctx) {
        done = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
