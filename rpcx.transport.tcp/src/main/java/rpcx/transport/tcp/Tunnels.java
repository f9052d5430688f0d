package rpcx.transport.tcp;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;
import rpcx.api.TransportException;
import rpcx.api.spi.TransportConfig;

/**
 * rpcx carried inside HTTP, as Go rpcx does it at {@code /_rpcx_} ({@code share.DefaultRPCPath}): network
 * {@code http}, a {@code CONNECT} tunnel after which the stream carries raw frames, and {@code ws}/{@code wss}, a
 * WebSocket whose binary frames carry the byte stream (Go writes one whole rpcx message per frame, and so does
 * this). Servers accept both on every IP listener that looks at its first bytes ({@link ProtocolSniffer}); clients
 * dial them by network.
 */
final class Tunnels {
    /** Go's {@code share.DefaultRPCPath}. */
    static final String PATH = "/_rpcx_";
    /** Go's {@code connected}: the status of a successful CONNECT. */
    static final String CONNECTED = "200 Connected to rpcx";
    /** What Go's client sends, bare {@code \n}s included. */
    static final byte[] CONNECT_REQUEST = ("CONNECT " + PATH + " HTTP/1.0\n\n").getBytes(StandardCharsets.US_ASCII);
    /** What Go's server answers, bare {@code \n}s included. */
    static final byte[] CONNECT_RESPONSE = ("HTTP/1.0 " + CONNECTED + "\n\n").getBytes(StandardCharsets.US_ASCII);
    /** The longest request or response head read before the tunnel is refused. */
    static final int MAX_HEAD = 8192;

    private static final byte[] CONNECT_PREFIX = ("CONNECT " + PATH).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GET_PREFIX = ("GET " + PATH).getBytes(StandardCharsets.US_ASCII);

    private Tunnels() {
    }

    /** What an HTTP request on an rpcx port asks for. */
    enum Ask { CONNECT, WEBSOCKET, OTHER, NEED_MORE }

    /** Whether the request line (so far) is {@code CONNECT /_rpcx_} or {@code GET /_rpcx_}, path followed by a space or {@code ?}. */
    static Ask ask(ByteBuf in) {
        Ask connect = prefixed(in, CONNECT_PREFIX, Ask.CONNECT);
        if (connect != Ask.OTHER) {
            return connect;
        }
        return prefixed(in, GET_PREFIX, Ask.WEBSOCKET);
    }

    private static Ask prefixed(ByteBuf in, byte[] prefix, Ask kind) {
        int n = in.readableBytes();
        int start = in.readerIndex();
        for (int i = 0; i < Math.min(n, prefix.length); i++) {
            if (in.getByte(start + i) != prefix[i]) {
                return Ask.OTHER;
            }
        }
        if (n <= prefix.length) {
            return Ask.NEED_MORE;
        }
        byte after = in.getByte(start + prefix.length);
        return after == ' ' || after == '?' ? kind : Ask.OTHER;
    }

    /** The length of the head ending in an empty line ({@code \n\n} or {@code \r\n\r\n}), or -1 if not all in. */
    static int headLength(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        for (int i = start; i < end; i++) {
            if (in.getByte(i) != '\n') {
                continue;
            }
            if (i + 1 < end && in.getByte(i + 1) == '\n') {
                return i + 2 - start;
            }
            if (i + 2 < end && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') {
                return i + 3 - start;
            }
        }
        return -1;
    }

    /**
     * The server's WebSocket pipeline after {@code after}: HTTP codec, the handshake at {@link #PATH} (a request that
     * is no WebSocket upgrade gets Go's {@code 405 must CONNECT}), then {@link WebSocketBytes} in front of the frame
     * decoder and encoder. The connection is decided once the handshake is done.
     */
    static void installWebSocketServer(ChannelPipeline p, String after, NettyConnection connection, TransportConfig config) {
        int maxFrame = maxFrame(config);
        p.addAfter(after, "http", new HttpServerCodec());
        p.addAfter("http", "httpAggregator", new HttpObjectAggregator(MAX_HEAD));
        p.addAfter("httpAggregator", "mustUpgrade", new MustUpgrade());
        p.addAfter("mustUpgrade", "websocket", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(PATH).checkStartsWith(true).maxFramePayloadLength(maxFrame)
                .handshakeTimeoutMillis(config.frameTimeout().isZero() ? 10_000 : config.frameTimeout().toMillis())
                .build()));
        p.addAfter("websocket", "wsBytes", new WebSocketBytes(connection, true));
        p.addAfter("wsBytes", "decoder", new FrameDecoder(connection, config.limits(), config.frameTimeout()));
        p.addAfter("decoder", "encoder", FrameEncoder.INSTANCE);
    }

    /** The client's WebSocket pipeline, added last: {@code ws(s)://host:port/_rpcx_} dialled with Go's origin. */
    static void installWebSocketClient(ChannelPipeline p, NettyConnection connection, TransportConfig config, Endpoint endpoint) {
        boolean secure = endpoint.network().equals("wss");
        String hostPort = endpoint.hostIsIpv6Literal() ? "[" + endpoint.host() + "]:" + endpoint.port()
                : (endpoint.host().isEmpty() ? "localhost" : endpoint.host()) + ":" + endpoint.port();
        URI uri = URI.create((secure ? "wss://" : "ws://") + hostPort + PATH);
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.ORIGIN, (secure ? "https://" : "http://") + hostPort);
        p.addLast("http", new HttpClientCodec());
        p.addLast("httpAggregator", new HttpObjectAggregator(MAX_HEAD));
        p.addLast("websocket", new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri).version(WebSocketVersion.V13).customHeaders(headers)
                .maxFramePayloadLength(maxFrame(config))
                .handshakeTimeoutMillis(Math.max(1, config.connectTimeout().toMillis())).build()));
        p.addLast("wsBytes", new WebSocketBytes(connection, false));
        p.addLast("decoder", new FrameDecoder(connection, config.limits(), config.frameTimeout()));
        p.addLast("encoder", FrameEncoder.INSTANCE);
    }

    /**
     * The largest WebSocket frame read: one whole rpcx message (Go writes one per frame) with room for its header;
     * the frame decoder behind enforces the message limit itself, with its usual error.
     */
    private static int maxFrame(TransportConfig config) {
        return (int) Math.min(Integer.MAX_VALUE, config.limits().maxMessageLength() + 4096L);
    }

    /** The tunnel is up (a CONNECT answered, a WebSocket handshake done): the dial may complete. */
    enum Established { INSTANCE }

    /** Go's {@code ServeHTTP} answer to a request at the rpcx path that is not a WebSocket upgrade. */
    private static final class MustUpgrade extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest req && !req.headers().containsValue(HttpHeaderNames.UPGRADE,
                    HttpHeaderValues.WEBSOCKET, true)) {
                ReferenceCountUtil.release(msg);
                DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.METHOD_NOT_ALLOWED,
                        Unpooled.copiedBuffer("405 must CONNECT\n", StandardCharsets.US_ASCII));
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes())
                        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(res).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                return;
            }
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * Between WebSocket frames and the rpcx byte stream: the payload of every data frame goes on to the frame
     * decoder (frames and messages need not line up), every encoded message goes out as one binary frame. Once the
     * handshake is done the connection is decided (writes held back until then go out) and the dial told.
     */
    static final class WebSocketBytes extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {
        private final NettyConnection connection;
        private final boolean server;

        WebSocketBytes(NettyConnection connection, boolean server) {
            this.connection = connection;
            this.server = server;
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
            out.add(new BinaryWebSocketFrame(msg.retain()));
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
            if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame
                    || frame instanceof TextWebSocketFrame) {
                out.add(frame.content().retain());
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (server && evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                connection.decide(NettyConnection.Mode.RPCX, null);
                return;
            }
            if (!server && evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                connection.decide(NettyConnection.Mode.RPCX, null);
                ctx.fireUserEventTriggered(Established.INSTANCE);
                return;
            }
            if (!server && evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                ctx.fireExceptionCaught(new TransportException("the WebSocket handshake with " + connection + " timed out"));
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    /**
     * Go's {@code newDirectHTTPConn}: sends {@code CONNECT /_rpcx_ HTTP/1.0\n\n} when the channel is active, reads
     * the response head, and lets the stream through once its status is {@code 200 Connected to rpcx}; any other
     * answer fails the dial with Go's {@code unexpected HTTP response: <status>}.
     */
    static final class HttpConnectClient extends ByteToMessageDecoder {
        private final NettyConnection connection;

        HttpConnectClient(NettyConnection connection) {
            this.connection = connection;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(CONNECT_REQUEST));
            super.channelActive(ctx);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int head = headLength(in);
            if (head < 0) {
                if (in.readableBytes() > MAX_HEAD) {
                    in.skipBytes(in.readableBytes());
                    ctx.fireExceptionCaught(new TransportException("the answer to CONNECT " + PATH + " from " + connection
                            + " has no end of head within " + MAX_HEAD + " bytes"));
                }
                return;
            }
            String text = in.toString(in.readerIndex(), head, StandardCharsets.ISO_8859_1);
            in.skipBytes(head);
            String line = text.lines().findFirst().orElse("").strip();
            int space = line.indexOf(' ');
            String status = space < 0 ? "" : line.substring(space + 1);
            if (!line.startsWith("HTTP/1.") || !status.equals(CONNECTED)) {
                ctx.fireExceptionCaught(new TransportException("cannot connect to " + connection
                        + ": unexpected HTTP response: " + (status.isEmpty() ? line : status)));
                return;
            }
            connection.decide(NettyConnection.Mode.RPCX, null);
            ctx.fireUserEventTriggered(Established.INSTANCE); // opened first: frames right behind the head come after
            ctx.pipeline().remove(this); // what follows the head flows on to the frame decoder
        }
    }
}
